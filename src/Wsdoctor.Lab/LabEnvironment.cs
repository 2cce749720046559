using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Probes;

namespace Wsdoctor.Lab;

/// <summary>What every scenario shares: a throwaway CA created at start (never trusted by the system), its PEM on
/// disk for --ca, the clock, and the check settings tuned for loopback (short timeouts).</summary>
public sealed class LabEnvironment : IDisposable
{
    private LabEnvironment(TestPki pki, string directory, DateTimeOffset now)
    {
        Pki = pki;
        Directory = directory;
        Now = now;
        CaFile = pki.RootPemPath(directory);
    }

    public TestPki Pki { get; }
    public string Directory { get; }
    public string CaFile { get; }
    public DateTimeOffset Now { get; }
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(1.5);

    public static LabEnvironment Create(TimeSpan? stepTimeout = null)
    {
        var now = DateTimeOffset.UtcNow;
        var directory = Path.Combine(Path.GetTempPath(), "wsdoctor-lab-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        return new LabEnvironment(TestPki.Create(now), directory, now) { StepTimeout = stepTimeout ?? TimeSpan.FromSeconds(1.5) };
    }

    /// <summary>Check options for a lab URL: short per-step timeout, bounded overall.</summary>
    public CheckOptions Check(string url) => new()
    {
        Url = url,
        StepTimeout = StepTimeout,
        Deadline = TimeSpan.FromSeconds(20),
        ObserveWindow = TimeSpan.FromMilliseconds(300),

        // The lab's servers are on loopback: a proxy from the user's environment must not stand in between.
        Environment = static _ => null,
    };

    /// <summary>A leaf for the hosts, issued by the lab's intermediate, with the chain a correct server sends.</summary>
    public (X509Certificate2 Leaf, X509Certificate2Collection Chain) Leaf(LeafSpec spec)
    {
        var leaf = Pki.IssueLeaf(spec);
        return (leaf, Pki.ChainFor(leaf));
    }

    public LeafSpec Hosts(params string[] hosts) => LeafSpec.ForHosts(Now, hosts);

    public void Dispose()
    {
        Pki.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
