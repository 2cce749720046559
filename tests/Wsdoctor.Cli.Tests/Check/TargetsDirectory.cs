namespace Wsdoctor.Cli.Tests.Check;

/// <summary>A temporary directory for a --targets file and the reports written next to it.</summary>
public sealed class TargetsDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wsdoctor-targets-").FullName;

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
