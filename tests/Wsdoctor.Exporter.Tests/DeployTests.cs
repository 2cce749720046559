using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Wsdoctor.Exporter.Config;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;
using YamlDotNet.RepresentationModel;

namespace Wsdoctor.Exporter.Tests;

/// <summary>deploy/kubernetes/exporter.yaml and deploy/grafana/wsdoctor-exporter.json, read as Kubernetes, Prometheus
/// and Grafana would: the fields that matter agree with each other and with what the exporter really serves.</summary>
public sealed partial class DeployTests
{
    private static readonly string Root = FindRoot();

    private static IReadOnlyList<YamlMappingNode> Documents()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "deploy", "kubernetes", "exporter.yaml"))));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Kind(string kind, string name) =>
        Documents().Single(d => S(d, "kind") == kind && S(M(d, "metadata"), "name") == name);

    [Fact]
    public void Manifest_DeploymentServiceAndConfigAgree()
    {
        var deployment = Kind("Deployment", "wsdoctor-exporter");
        var pod = M(M(deployment, "spec"), "template");
        var container = (YamlMappingNode)((YamlSequenceNode)M(pod, "spec")["containers"]).Children[0];
        var args = ((YamlSequenceNode)container["args"]).Children.Select(c => ((YamlScalarNode)c).Value).ToArray();
        Assert.Equal("exporter", args[0]);
        Assert.Equal("0.0.0.0:9115", args[Array.IndexOf(args, "--listen") + 1]);
        var configPath = args[Array.IndexOf(args, "--config") + 1];
        var port = (YamlMappingNode)((YamlSequenceNode)container["ports"]).Children[0];
        Assert.Equal("9115", S(port, "containerPort"));
        Assert.Equal("/-/healthy", S(M(M(container, "readinessProbe"), "httpGet"), "path"));

        // The pod labels are what the Service selects.
        var service = Kind("Service", "wsdoctor-exporter");
        Assert.Equal(S(M(M(pod, "metadata"), "labels"), "app.kubernetes.io/name"), S(M(M(service, "spec"), "selector"), "app.kubernetes.io/name"));
        var servicePort = (YamlMappingNode)((YamlSequenceNode)M(service, "spec")["ports"]).Children[0];
        Assert.Equal(S(port, "name"), S(servicePort, "targetPort"));

        // The mounted ConfigMap holds the file --config names, and the real loader accepts it.
        var mount = (YamlMappingNode)((YamlSequenceNode)container["volumeMounts"]).Children[0];
        Assert.StartsWith(S(mount, "mountPath") + "/", configPath, StringComparison.Ordinal);
        var data = M(Kind("ConfigMap", "wsdoctor-exporter"), "data");
        var config = ConfigLoader.Parse(S(data, Path.GetFileName(configPath)!), "exporter.yaml", Path.GetTempPath());
        Assert.Contains("ws", config.Modules.Keys);

        // The token is read from an environment variable filled from the Secret, never written in the config.
        var tokenEnv = config.Modules["ws_auth"].Token!.Env;
        var env = ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>().Single(e => S(e, "name") == tokenEnv);
        var secretRef = M(M(env, "valueFrom"), "secretKeyRef");
        Assert.Contains(S(secretRef, "key"), M(Kind("Secret", S(secretRef, "name")), "stringData").Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void Manifest_ScrapeConfigRelabelsLikeBlackboxExporterAndPointsAtTheService()
    {
        var job = ScrapeJob();
        Assert.Equal("/probe", S(job, "metrics_path"));
        var relabel = ((YamlSequenceNode)job["relabel_configs"]).Children.Cast<YamlMappingNode>().ToArray();
        Assert.Equal("__param_target", S(relabel[0], "target_label"));
        Assert.Equal("__address__", ((YamlScalarNode)((YamlSequenceNode)relabel[0]["source_labels"]).Children[0]).Value);
        Assert.Equal("instance", S(relabel[1], "target_label"));
        Assert.Equal("__address__", S(relabel[2], "target_label"));
        var service = Kind("Service", "wsdoctor-exporter");
        var servicePort = S((YamlMappingNode)((YamlSequenceNode)M(service, "spec")["ports"]).Children[0], "port");
        Assert.Equal($"{S(M(service, "metadata"), "name")}:{servicePort}", S(relabel[2], "replacement"));
        var module = ((YamlScalarNode)((YamlSequenceNode)M(job, "params")["module"]).Children[0]).Value!;
        var config = ConfigLoader.Parse(S(M(Kind("ConfigMap", "wsdoctor-exporter"), "data"), "exporter.yaml"), "exporter.yaml", Path.GetTempPath());
        Assert.Contains(module, config.Modules.Keys);
    }

    [SkippableFact]
    public async Task Manifest_ScrapeConfig_PassesPromtool()
    {
        var promtool = Peers.Require("/usr/bin/promtool");
        var file = Path.Combine(Directory.CreateTempSubdirectory("wsdoctor-promtool-").FullName, "prometheus.yml");
        await File.WriteAllTextAsync(file, S(M(Kind("ConfigMap", "wsdoctor-prometheus-job"), "data"), "scrape-config.yaml"));

        var run = await WsdoctorProcess.RunProcessAsync(promtool, ["check", "config", file], new Dictionary<string, string>());

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Dashboard_QueriesOnlyMetricsTheExporterServes()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "grafana", "wsdoctor-exporter.json")));
        var dashboard = json.RootElement;
        Assert.Equal("wsdoctor-exporter", dashboard.GetProperty("uid").GetString());
        var exprs = dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .Concat(dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("query").GetString()!))
            .ToArray();
        var used = exprs.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        // What a real wss probe with a certificate, a failing probe and /metrics serve.
        var now = DateTimeOffset.UtcNow;
        using var pki = Certificates.TestPki.Create(now);
        using var leaf = pki.IssueLeaf(new Certificates.LeafSpec("localhost", ["localhost"], [], now.AddHours(-1), now.AddDays(90)));
        await using var echo = await KestrelEcho.StartAsync(leaf, pki.ChainFor(leaf));
        await using var exporter = await Support.StartAsync($"modules:\n  tls:\n    tls: {{ ca: {pki.RootPemPath(Directory.CreateTempSubdirectory("wsdoctor-dash-").FullName)} }}\n");
        var (_, ok) = await Support.GetAsync(Support.Probe(exporter, $"wss://localhost:{echo.Port}/", "tls"));
        var (_, failed) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{Peers.FreePort()}/", "tls"));
        await using var closing = ProbeTests.ClosingServer(1011, "internal error");
        var (_, closed) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{closing.Port}/", "tls"));
        var (_, own) = await Support.GetAsync(new Uri(exporter.Url, "metrics"));
        var served = Support.Samples(ok + failed + closed + own).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, served));
        foreach (var required in new[] { "probe_success", "probe_ws_root_cause_info", "probe_ws_duration_seconds", "probe_ssl_earliest_cert_expiry", "probe_ws_rtt_seconds" })
        {
            Assert.Contains(required, used);
        }
    }

    private static YamlMappingNode ScrapeJob()
    {
        var text = S(M(Kind("ConfigMap", "wsdoctor-prometheus-job"), "data"), "scrape-config.yaml");
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var jobs = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["scrape_configs"];
        return jobs.Children.Cast<YamlMappingNode>().Single(j => S(j, "job_name") == "wsdoctor");
    }

    private static YamlMappingNode M(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static string S(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    [GeneratedRegex(@"\b(probe_[a-z_]+|wsdoctor_exporter_[a-z_]+)\b")]
    private static partial Regex MetricName();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "wsdoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
