using System.CommandLine;

namespace Wsdoctor.Cli;

/// <summary>Runs a command line with wsdoctor's error contract: a usage mistake is one line on stderr and exit 2,
/// never a help dump or a stack trace; a bug is one line and exit 3 (WSDOCTOR_DEBUG=1 shows the trace).</summary>
public static class CliHost
{
    /// <summary>Commands that run until a signal and handle SIGTERM themselves (serve).</summary>
    private static readonly HashSet<string> OwnSignals = new(StringComparer.Ordinal) { "serve" };

    public static async Task<int> RunAsync(RootCommand root, string[] args, CancellationToken ct)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            var name = command == root ? "wsdoctor" : $"wsdoctor {command.Name}";
            await Console.Error.WriteLineAsync($"wsdoctor: error: {parse.Errors[0].Message} (see: {name} --help)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (OwnSignals.Contains(parse.CommandResult.Command.Name))
            {
                // System.CommandLine's SIGTERM handling cancels the action and exits 143 two seconds later,
                // which would cut a server's graceful shutdown (close handshakes, --shutdown-timeout) short.
                configuration.ProcessTerminationTimeout = null;
            }

            return await parse.InvokeAsync(configuration, ct).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"wsdoctor: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("wsdoctor: interrupted").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"wsdoctor: internal error: {ex.GetType().Name}: {ex.Message} (please report it; WSDOCTOR_DEBUG=1 shows details)").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("WSDOCTOR_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Internal;
        }
    }
}
