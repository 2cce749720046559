using System.CommandLine;
using YamlDotNet.RepresentationModel;

namespace Wsdoctor.Cli.Tests.Bench;

/// <summary>deploy/kubernetes/bench-job.yaml, read with YamlDotNet: an Indexed Job whose pods each run one shard
/// of the same bench, all at once, and whose arguments are a valid bench command line. (No kubeconform or
/// Kubernetes JSON schema package is available on this machine, so the fields that matter are checked here.)</summary>
public sealed class BenchJobManifestTests
{
    private static readonly string Manifest = Path.Combine(RepositoryRoot(), "deploy", "kubernetes", "bench-job.yaml");

    [Fact]
    public void Manifest_IsAnIndexedJob_WhoseShardCountIsItsCompletionsAndParallelism()
    {
        var job = Load();

        Assert.Equal("batch/v1", Scalar(job, "apiVersion"));
        Assert.Equal("Job", Scalar(job, "kind"));
        var spec = Map(job, "spec");
        Assert.Equal("Indexed", Scalar(spec, "completionMode"));
        var completions = int.Parse(Scalar(spec, "completions"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(completions, int.Parse(Scalar(spec, "parallelism"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", Scalar(spec, "backoffLimit"));
        Assert.True(int.Parse(Scalar(spec, "activeDeadlineSeconds"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        var pod = Map(Map(spec, "template"), "spec");
        Assert.Equal("Never", Scalar(pod, "restartPolicy"));
        var container = Assert.Single(((YamlSequenceNode)pod.Children[new YamlScalarNode("containers")]).Children.Cast<YamlMappingNode>());
        var args = Args(container);
        Assert.Equal("bench", args[0]);
        var shard = args[args.IndexOf("--shard") + 1];
        Assert.Equal($"$(JOB_COMPLETION_INDEX)/{completions}", shard);
        Assert.Contains("--json", args);
        Assert.Contains("--quiet", args);
    }

    [Fact]
    public void Manifest_Arguments_AreAValidBenchCommandLineForEveryIndex()
    {
        var job = Load();
        var spec = Map(job, "spec");
        var completions = int.Parse(Scalar(spec, "completions"), System.Globalization.CultureInfo.InvariantCulture);
        var container = ((YamlSequenceNode)Map(Map(spec, "template"), "spec").Children[new YamlScalarNode("containers")]).Children.Cast<YamlMappingNode>().Single();
        var args = Args(container);
        var root = new RootCommand();
        root.Subcommands.Add(Wsdoctor.Cli.Bench.BenchCommand.Create());

        for (var index = 0; index < completions; index++)
        {
            // What the kubelet passes once it expanded $(JOB_COMPLETION_INDEX).
            var expanded = args.Select(a => a.Replace("$(JOB_COMPLETION_INDEX)", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToArray();
            var parse = root.Parse(expanded);
            Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
            Assert.True(Wsdoctor.Load.Runs.Shard.TryParse(expanded[Array.IndexOf(expanded, "--shard") + 1], out var shard));
            Assert.Equal((index, completions), (shard!.Index, shard.Count));
        }
    }

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Manifest);
        yaml.Load(reader);
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static List<string> Args(YamlMappingNode container) =>
        [.. ((YamlSequenceNode)container.Children[new YamlScalarNode("args")]).Children.Select(n => ((YamlScalarNode)n).Value!)];

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "wsdoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("wsdoctor.slnx not found above the test assembly");
    }
}
