using System.CommandLine;
using System.Runtime.InteropServices;
using Wsdoctor.Findings;

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
            await Console.Error.WriteLineAsync(HelpLanguage.H(
                $"wsdoctor: error: {Describe(root, parse)} (see: {name} --help)",
                $"wsdoctor: 错误：{Describe(root, parse)}（参见：{name} --help）")).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            LanguageOption.Current = LanguageOption.Resolve(parse);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync(Error(ex.Text, HelpLanguage.Current)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Ctrl-C and SIGTERM cancel the command's token; the command then cleans up (a browser it started is killed)
        // and the cancellation is reported as an interruption. System.CommandLine's own handling is off: it cancels
        // a token of its own and exits two seconds later, which would cut that clean-up (and a server's graceful
        // shutdown) short.
        using var signals = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ownSignals = OwnSignals.Contains(parse.CommandResult.Command.Name);
        var signalExit = 130;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            signals.Cancel();
        });
        using var sigterm = ownSignals ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            signalExit = 143;
            signals.Cancel();
        });
        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(configuration, signals.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync(Error(ex.Text, LanguageOption.Current)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (signals.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // After Ctrl-C or SIGTERM, whatever the tear-down throws (a browser killed mid-read, a pipe closed under a
            // pending write) is part of the interruption, not an internal error.
            if (ex is not OperationCanceledException && Environment.GetEnvironmentVariable("WSDOCTOR_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync(LanguageOption.Current == UiLanguage.SimplifiedChinese ? "wsdoctor: 已中断" : "wsdoctor: interrupted").ConfigureAwait(false);
            return signalExit;
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

    /// <summary>A usage error's one line: <c>wsdoctor: error: …</c>, or <c>wsdoctor: 错误：…</c> in Chinese.</summary>
    public static string Error(Text message, string language)
    {
        ArgumentNullException.ThrowIfNull(message);
        return language == UiLanguage.SimplifiedChinese ? $"wsdoctor: 错误：{message.Zh}" : $"wsdoctor: error: {message.En}";
    }

    /// <summary>The most useful of the parse errors: an unknown word beats "required command was not provided",
    /// which System.CommandLine reports first for <c>wsdoctor --bogus</c>.</summary>
    private static string Describe(RootCommand root, ParseResult parse)
    {
        if (parse.CommandResult.Command == root)
        {
            var commands = string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return parse.UnmatchedTokens.Count > 0
                ? HelpLanguage.H($"unknown command or option '{parse.UnmatchedTokens[0]}'; commands: {commands}", $"未知的命令或选项“{parse.UnmatchedTokens[0]}”；可用命令：{commands}")
                : HelpLanguage.H($"no command given; commands: {commands}", $"没有给出命令；可用命令：{commands}");
        }

        // System.CommandLine's messages end in a full stop; the line goes on with "(see: … --help)".
        var message = parse.Errors.FirstOrDefault(e => parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))?.Message
            ?? parse.Errors[0].Message;
        return HelpLanguage.Current == UiLanguage.SimplifiedChinese ? ParseErrorText.Chinese(message) : message.TrimEnd('.');
    }
}
