using System.CommandLine;
using System.Runtime.InteropServices;
using Wsdoctor.Server.Hosting;
using Wsdoctor.Server.Observability;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor serve</c>: a reference WebSocket server (echo, broadcast, stdio) with the policies real
/// servers need, logging one line per event to stderr. The contract (flags, log lines, exit codes) is in
/// README.md; other tools parse it.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var options = new ServeCommandOptions();
        var command = new Command("serve", H("Run a WebSocket server: echo (default), broadcast or stdio, like websocat -s", "运行一个 WebSocket 服务端：echo（默认）、broadcast 或 stdio，类似 websocat -s"));
        options.AddTo(command);
        command.SetAction(async (result, ct) => await RunAsync(options.Read(result), options.ReadTls(result), ct).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(ServeOptions options, ServeTlsRequest tls, CancellationToken ct)
    {
        var log = new EventLog(Console.Error, options.LogFormat);
        options = ServeTls.Prepare(options, tls, log);

        // SIGINT arrives through ct (Program.cs); SIGTERM (docker stop, systemd, kill) is taken here, so both end
        // in the same graceful shutdown and exit 0.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        WsServer server;
        try
        {
            server = await WsServer.StartAsync(options, log, stop.Token).ConfigureAwait(false);
        }
        catch (ListenException e)
        {
            await Console.Error.WriteLineAsync(CliHost.Error(e.Text, LanguageOption.Current)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        await using (server.ConfigureAwait(false))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The signal: fall through to the graceful shutdown.
            }

            await server.ShutdownAsync().ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
