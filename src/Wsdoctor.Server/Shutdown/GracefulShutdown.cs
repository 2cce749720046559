using Wsdoctor.Server.Handshake;
using Wsdoctor.Server.Observability;
using Wsdoctor.Server.Sessions;

namespace Wsdoctor.Server.Shutdown;

/// <summary>SIGINT/SIGTERM: refuse new handshakes, close every client with 1001 "server shutting down"
/// (RFC 6455 7.4.1: going away) after the messages already queued, wait for the close handshakes.</summary>
internal static class GracefulShutdown
{
    /// <summary>Going away: the close every session gets once shutdown has begun.</summary>
    public static void Close(Session session) => session.BeginClose(1001, "server shutting down", CloseDecision.ByServer);

    public static async Task RunAsync(UpgradeEndpoint endpoint, SessionHub hub, EventLog log, TimeSpan timeout)
    {
        endpoint.StopAccepting();
        var sessions = hub.All.ToList();
        log.Write("shutdown", ("clients", sessions.Count));
        foreach (var session in sessions)
        {
            Close(session);
        }

        // Each session bounds its own closing by the same timeout; this wait is the backstop, after which the
        // rest are cut.
        await hub.WhenEmptyAsync(timeout + TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        await endpoint.Stopping.CancelAsync().ConfigureAwait(false);
    }
}
