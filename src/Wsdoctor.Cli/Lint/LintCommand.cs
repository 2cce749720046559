using System.CommandLine;
using Wsdoctor.Lint;
using Wsdoctor.Lint.Haproxy;
using Wsdoctor.Lint.Nginx;
using Wsdoctor.Reports;
using Wsdoctor.Reports.Sarif;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Lint;

/// <summary><c>wsdoctor lint nginx FILE|-</c> and <c>wsdoctor lint haproxy FILE|-</c>. Exit 0 without an
/// error-level finding, 1 with one; 2 for a usage mistake and for a configuration the program itself would refuse
/// (a syntax error), printed as one line <c>wsdoctor: error: FILE:LINE:COL: message</c>.</summary>
public static class LintCommand
{
    public static Command Create()
    {
        var command = new Command("lint", H("Check an nginx or HAProxy configuration for what breaks WebSockets", "检查 nginx 或 HAProxy 配置中会让 WebSocket 出问题的地方"));
        command.Subcommands.Add(Nginx());
        command.Subcommands.Add(Haproxy());
        return command;
    }

    private static Command Nginx()
    {
        var file = new Argument<string>("file") { Description = H("nginx.conf, or - for standard input (nginx -T output, or one file)", "nginx.conf，或用 - 表示标准输入（nginx -T 的输出，或单个文件）") };
        var wsPath = new Option<string[]>("--ws-path") { Description = H("A path clients open WebSockets on, e.g. /ws (repeatable); without it a heuristic picks the WebSocket locations", "客户端打开 WebSocket 的路径，例如 /ws（可重复）；不给时按启发式规则找出 WebSocket 的 location"), AllowMultipleArgumentsPerToken = false };
        var heartbeat = new Option<string?>("--heartbeat") { Description = H("The application's heartbeat interval, e.g. 30s: timeouts must stay above it", "应用的心跳间隔，例如 30s：各项超时都必须比它长") };
        var version = new Option<string?>("--nginx-version") { Description = H("Judge for this nginx version X.Y.Z (default: nginx -v of the nginx on PATH, else the oldest behaviour)", "按这个 nginx 版本 X.Y.Z 判断（默认：PATH 上 nginx 的 nginx -v，找不到则按最老版本的行为）") };
        var format = new LintFormat();
        var command = new Command("nginx", H("Lint an nginx configuration (with its includes) for WebSocket proxying", "检查 nginx 配置（连同它 include 的文件）的 WebSocket 代理设置")) { file, wsPath, heartbeat, version };
        format.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var paths = result.GetValue(wsPath) ?? [];
            foreach (var path in paths.Where(p => !p.StartsWith('/')))
            {
                throw new UsageException(T($"--ws-path takes a path starting with / (got '{path}')", $"--ws-path 需要以 / 开头的路径（收到的是“{path}”）"));
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
        var file = new Argument<string>("file") { Description = H("haproxy.cfg, or - for standard input", "haproxy.cfg，或用 - 表示标准输入") };
        var heartbeat = new Option<string?>("--heartbeat") { Description = H("The application's heartbeat interval, e.g. 30s: the tunnel timeout must stay above it", "应用的心跳间隔，例如 30s：timeout tunnel 必须比它长") };
        var format = new LintFormat();
        var command = new Command("haproxy", H("Lint an HAProxy configuration for WebSocket timeouts and mode", "检查 HAProxy 配置的 WebSocket 超时和 mode")) { file, heartbeat };
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
        private readonly Option<string?> sarifBase = new("--sarif-base") { Description = H("SARIF: write file locations relative to this directory, e.g. the repository root (default: the current directory)", "SARIF：文件位置写成相对这个目录的路径，例如仓库根目录（默认：当前目录）") };

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
                throw new UsageException(T($"--sarif-base {root}: no such directory", $"--sarif-base {root}：目录不存在"));
            }

            return (chosen, root ?? Environment.CurrentDirectory);
        }
    }

    private static TimeSpan? Heartbeat(string? text) => text is null ? null : DurationText.Parse(text, "--heartbeat");

    /// <summary>An unreadable main file is a usage mistake (exit 2), said before any parsing.</summary>
    private static string Readable(string path)
    {
        var read = DiskConfigFiles.Instance.Read(path);
        return read.Readable ? path : throw new UsageException(T($"cannot read {path}: {read.Problem}", $"无法读取 {path}：{read.Problem}"));
    }

    private static int Print(ParseResult<LintReport> outcome, (string Format, string SarifBase) format)
    {
        if (!outcome.Ok)
        {
            // The program itself would refuse this configuration: nothing after the error can be judged.
            // FILE:LINE:COL: message, as ConfigError.In writes it in either language.
            throw new UsageException(Verbatim($"{outcome.Error.Location}: ") + outcome.Error.Message);
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
