using System.CommandLine;
using Wsdoctor.Lint;
using Wsdoctor.Lint.Haproxy;
using Wsdoctor.Lint.Nginx;
using Wsdoctor.Reports;
using Wsdoctor.Reports.Sarif;

namespace Wsdoctor.Cli.Lint;

/// <summary><c>wsdoctor lint nginx FILE|-</c> and <c>wsdoctor lint haproxy FILE|-</c>. Exit 0 without an
/// error-level finding, 1 with one; 2 for a usage mistake and for a configuration the program itself would refuse
/// (a syntax error), printed as one line <c>wsdoctor: error: FILE:LINE:COL: message</c>.</summary>
public static class LintCommand
{
    public static Command Create()
    {
        var command = new Command("lint", "Check an nginx or HAProxy configuration for what breaks WebSockets");
        command.Subcommands.Add(Nginx());
        command.Subcommands.Add(Haproxy());
        return command;
    }

    private static Command Nginx()
    {
        var file = new Argument<string>("file") { Description = "nginx.conf, or - for standard input (nginx -T output, or one file)" };
        var wsPath = new Option<string[]>("--ws-path") { Description = "A path clients open WebSockets on, e.g. /ws (repeatable); without it a heuristic picks the WebSocket locations", AllowMultipleArgumentsPerToken = false };
        var heartbeat = new Option<string?>("--heartbeat") { Description = "The application's heartbeat interval, e.g. 30s: timeouts must stay above it" };
        var version = new Option<string?>("--nginx-version") { Description = "Judge for this nginx version X.Y.Z (default: nginx -v of the nginx on PATH, else the oldest behaviour)" };
        var format = new LintFormat();
        var command = new Command("nginx", "Lint an nginx configuration (with its includes) for WebSocket proxying") { file, wsPath, heartbeat, version };
        format.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var paths = result.GetValue(wsPath) ?? [];
            foreach (var path in paths.Where(p => !p.StartsWith('/')))
            {
                throw new UsageException($"--ws-path takes a path starting with / (got '{path}')");
            }

            var options = new NginxLintOptions(
                paths,
                Heartbeat(result.GetValue(heartbeat)),
                await NginxVersionOption.ResolveAsync(result.GetValue(version), ct).ConfigureAwait(false),
                DiskConfigFiles.Instance);
            var name = result.GetValue(file)!;
            var outcome = name == "-"
                ? NginxLinter.LintStdin(await StdinText.ReadAsync(ct).ConfigureAwait(false), Environment.CurrentDirectory, options)
                : NginxLinter.LintFile(Readable(name), DiskConfigFiles.Instance, options);
            return Print(outcome, format.Read(result));
        });
        return command;
    }

    private static Command Haproxy()
    {
        var file = new Argument<string>("file") { Description = "haproxy.cfg, or - for standard input" };
        var heartbeat = new Option<string?>("--heartbeat") { Description = "The application's heartbeat interval, e.g. 30s: the tunnel timeout must stay above it" };
        var format = new LintFormat();
        var command = new Command("haproxy", "Lint an HAProxy configuration for WebSocket timeouts and mode") { file, heartbeat };
        format.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var options = new HaproxyLintOptions(Heartbeat(result.GetValue(heartbeat)));
            var name = result.GetValue(file)!;
            var outcome = name == "-"
                ? HaproxyLinter.Lint(await StdinText.ReadAsync(ct).ConfigureAwait(false), "<stdin>", options)
                : HaproxyLinter.LintFile(Readable(name), DiskConfigFiles.Instance, options);
            return Print(outcome, format.Read(result));
        });
        return command;
    }

    /// <summary>--format text|json|sarif (--json kept) and --sarif-base, the same on both linters.</summary>
    private sealed class LintFormat
    {
        private readonly ReportFormat format = new("docs/lint-json.md", "text", "json", "sarif");
        private readonly Option<string?> sarifBase = new("--sarif-base") { Description = "SARIF: write file locations relative to this directory, e.g. the repository root (default: the current directory)" };

        public void AddTo(Command command)
        {
            format.AddTo(command);
            command.Options.Add(sarifBase);
        }

        public (string Format, string SarifBase) Read(ParseResult result)
        {
            var chosen = format.Read(result);
            var root = result.GetValue(sarifBase);
            if (root is not null && !Directory.Exists(root))
            {
                throw new UsageException($"--sarif-base {root}: no such directory");
            }

            return (chosen, root ?? Environment.CurrentDirectory);
        }
    }

    private static TimeSpan? Heartbeat(string? text) => text is null ? null : DurationText.Parse(text, "--heartbeat");

    /// <summary>An unreadable main file is a usage mistake (exit 2), said before any parsing.</summary>
    private static string Readable(string path)
    {
        var read = DiskConfigFiles.Instance.Read(path);
        return read.Text is null ? throw new UsageException($"cannot read {path}: {read.Problem}") : path;
    }

    private static int Print(ParseResult<LintReport> outcome, (string Format, string SarifBase) format)
    {
        if (!outcome.Ok)
        {
            // The program itself would refuse this configuration: nothing after the error can be judged.
            throw new UsageException(outcome.Error.ToString());
        }

        if (format.Format == "json")
        {
            Console.Out.WriteLine(LintJsonReport.Render(outcome.Value));
        }
        else if (format.Format == "sarif")
        {
            Console.Out.WriteLine(LintSarifReport.Render(outcome.Value, format.SarifBase));
        }
        else
        {
            LintTextReport.Render(outcome.Value, Terminal.Stdout(), LanguageOption.Current);
        }

        return outcome.Value.HasErrors ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
