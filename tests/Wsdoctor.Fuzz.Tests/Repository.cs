using Wsdoctor.Fuzz.Targets;

namespace Wsdoctor.Fuzz.Tests;

/// <summary>The checked-in inputs under bench/fuzz: corpus/TARGET (seeds and what long runs kept) and
/// regressions/TARGET (every input that once crashed a parser or broke an invariant).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Fuzz => Path.Combine(Root, "bench", "fuzz");

    public static IEnumerable<string> Inputs(string kind, string target)
    {
        var folder = Path.Combine(Fuzz, kind, target);
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal) : [];
    }

    /// <summary>(target, file relative to bench/fuzz) for every saved input of every target.</summary>
    public static TheoryData<string, string> AllInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All)
        {
            foreach (var file in Inputs("corpus", target.Name).Concat(Inputs("regressions", target.Name)))
            {
                data.Add(target.Name, Path.GetRelativePath(Fuzz, file));
            }
        }

        return data;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "wsdoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("wsdoctor.slnx not found above " + AppContext.BaseDirectory);
    }
}
