using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>Credentials made up for one test, each distinct and long enough not to occur by chance, passed in every
/// place a user puts one: the URL's query, the Authorization header (--token), a cookie, and a custom secret header.</summary>
public sealed class Secrets
{
    public string Query { get; } = "qtok-" + Guid.NewGuid().ToString("N");

    public string Bearer { get; } = "btok-" + Guid.NewGuid().ToString("N");

    public string Cookie { get; } = "ctok-" + Guid.NewGuid().ToString("N");

    public string ApiKey { get; } = "ktok-" + Guid.NewGuid().ToString("N");

    public IEnumerable<string> All => [Query, Bearer, Cookie, ApiKey];

    /// <summary>The URL with <c>?token=</c> (and an innocent parameter that must survive).</summary>
    public string Url(Uri server) => $"{server.ToString().TrimEnd('/')}/?room=lobby&token={Query}";

    /// <summary>The connection options of check, connect, watch, bench and probe carrying the other three.</summary>
    public string[] Options => ["--token", Bearer, "--cookie", $"session={Cookie}", "-H", $"X-Api-Key: {ApiKey}"];

    public void AssertNowhere(string output, string where)
    {
        foreach (var secret in All)
        {
            var at = output.IndexOf(secret, StringComparison.Ordinal);
            Assert.False(at >= 0, $"{where} shows the secret {secret}: …{(at >= 0 ? output[Math.Max(0, at - 300)..Math.Min(output.Length, at + secret.Length + 100)] : "")}…");
        }
    }

    public void AssertNowhere(CliRun run, string where)
    {
        AssertNowhere(run.Stdout, where + " (stdout)");
        AssertNowhere(run.Stderr, where + " (stderr)");
    }

    /// <summary>Every file under <paramref name="directory"/> (reports, logs), read as text.</summary>
    public void AssertNowhereIn(string directory, string where)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            AssertNowhere(File.ReadAllText(file), $"{where}: {Path.GetFileName(file)}");
        }
    }
}
