namespace Wsdoctor.TestPeers;

/// <summary>The repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The directory holding wsdoctor.slnx, above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "wsdoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no wsdoctor.slnx above {AppContext.BaseDirectory}");
    }
}
