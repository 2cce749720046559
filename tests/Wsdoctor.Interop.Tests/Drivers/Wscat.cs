using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>What one <c>wscat -c URL -x MESSAGE -w SECONDS …</c> run printed. Not a TTY, so wscat prints only
/// received messages on stdout and <c>error: …</c> lines on stderr.</summary>
public sealed record WscatRun(int ExitCode, IReadOnlyList<string> Received, string Stderr, string Transcript)
{
    public override string ToString() => Transcript;
}

/// <summary>wscat 6.1.0 from tests/peers/node_modules, run with Debian's node exactly as a user types it.</summary>
public static class Wscat
{
    /// <summary>How long wscat waits for replies after sending before it closes. Generous: a loaded box may be slow,
    /// and wscat has no "wait for N replies" mode.</summary>
    public const int WaitSeconds = 3;

    public static async Task<WscatRun> ExecuteAsync(Uri url, string message, IEnumerable<string> options, CancellationToken cancellationToken = default)
    {
        Peers.Require(Peers.Node);
        Peers.Require(Peers.Wscat);
        List<string> args = [Peers.Wscat, "-c", url.ToString(), "-x", message, "-w", WaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options];

        // wscat quits when its stdin ends, so the process keeps stdin open until it exits on its own.
        await using var wscat = JsonLinesProcess.Start(Peers.Node, args);
        var exit = await wscat.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new WscatRun(exit, wscat.Lines, wscat.Stderr, wscat.ToString());
    }

    public static Task<WscatRun> ExecuteAsync(Uri url, string message, params string[] options) => ExecuteAsync(url, message, options, default);
}
