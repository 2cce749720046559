using System.CommandLine;
using Wsdoctor.Browsers;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Check;

/// <summary>One target to check: the options, and the browsers --browser asks for (null without it).</summary>
public sealed record CheckRequest(CheckOptions Options, IReadOnlyList<BrowserKind>? Browsers)
{
    public async Task<CheckReport> RunAsync(CancellationToken ct)
    {
        try
        {
            return Browsers is null
                ? await CheckRunner.RunAsync(Options, ct).ConfigureAwait(false)
                : await BrowserCheck.RunAsync(Options, Browsers, ct).ConfigureAwait(false);
        }
        catch (CheckUsageException ex)
        {
            throw new UsageException(ex.Text);
        }
        catch (BrowserMissingException ex)
        {
            throw new UsageException(ex.Text);
        }
    }
}

/// <summary>Everything that says how to check one target: the URL, the connection options check shares with connect,
/// the page options and check's own probes. <c>check URL</c> and each line of <c>check --targets FILE</c> are parsed
/// with these same options, so every option works on a line.</summary>
public sealed class CheckTargetOptions
{
    private readonly ConnectionOptions connection = new();
    private readonly PageOptions page = new();
    private readonly Option<string?> send = new("--send") { Description = H("Text message to send once open", "连接建立后要发送的文本消息") };
    private readonly Option<string?> expect = new("--expect") { Description = H("Regular expression a reply must match (with --send)", "回复必须匹配的正则表达式（配合 --send）") };
    private readonly Option<string?> observe = new("--observe") { Description = H("How long to listen for unsolicited server frames (default 300ms)", "等待服务端主动推送帧的时长（默认 300ms）") };
    private readonly Option<bool> noProbes = new("--no-probes") { Description = H("Do not open extra connections to probe Origin variants, TLS versions or paths", "不额外建立连接去探测 Origin 变体、TLS 版本或路径") };
    private readonly Option<string?> idle = new("--idle") { Description = H("After the upgrade, stay silent this long (e.g. 90s, 6m) and report when and how the connection ends", "升级后保持静默这么久（例如 90s、6m），报告连接在何时、以何种方式结束") };
    private readonly Option<string?> idleKeepalive = new("--idle-keepalive") { Description = H("With --idle: ping at this interval during the wait, to tell an idle timeout from a lifetime limit", "配合 --idle：等待期间按这个间隔发 ping，以区分空闲超时和连接存活时长上限") };
    private readonly Option<bool> maxSizeProbe = new("--max-size-probe") { Description = H("Find the largest message the server accepts (fresh connection per try)", "找出服务端能接受的最大消息（每次尝试都用新连接）") };
    private readonly Option<string?> maxSizeLimit = new("--max-size-limit") { Description = H("Largest message --max-size-probe sends (default 64m)", "--max-size-probe 最多发送多大的消息（默认 64m）") };

    public Argument<string> Url => connection.Url;

    /// <summary>The options a --targets line may carry (and that the command line passes on to every line).</summary>
    public IReadOnlyList<Option> Options { get; private set; } = [];

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var before = command.Options.ToHashSet();
        connection.AddTo(command);
        page.AddTo(command);
        foreach (var option in new Option[] { send, expect, observe, noProbes, idle, idleKeepalive, maxSizeProbe, maxSizeLimit })
        {
            command.Options.Add(option);
        }

        Options = command.Options.Where(o => !before.Contains(o)).ToArray();
    }

    public CheckRequest Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var options = connection.Read(result) with
        {
            Send = result.GetValue(send),
            Expect = result.GetValue(expect),
            NoFollowUpProbes = result.GetValue(noProbes),
        };
        if (result.GetValue(observe) is { } o)
        {
            options = options with { ObserveWindow = DurationText.Parse(o, "--observe") };
        }

        if (options.Expect is not null && options.Send is null)
        {
            throw new UsageException(T("--expect needs --send", "--expect 需要配合 --send 使用"));
        }

        if (result.GetValue(idle) is { } i)
        {
            options = options with { Idle = DurationText.Parse(i, "--idle", maxSeconds: 24 * 3600) };
        }

        if (result.GetValue(idleKeepalive) is { } k)
        {
            if (options.Idle is not { } wait)
            {
                throw new UsageException(T("--idle-keepalive needs --idle", "--idle-keepalive 需要配合 --idle 使用"));
            }

            var interval = DurationText.Parse(k, "--idle-keepalive");
            if (interval >= wait)
            {
                throw new UsageException(T("--idle-keepalive must be shorter than --idle", "--idle-keepalive 必须比 --idle 短"));
            }

            options = options with { IdleKeepalive = interval };
        }

        options = options with { MaxSizeProbe = result.GetValue(maxSizeProbe) };
        if (result.GetValue(maxSizeLimit) is { } limit)
        {
            if (!options.MaxSizeProbe)
            {
                throw new UsageException(T("--max-size-limit needs --max-size-probe", "--max-size-limit 需要配合 --max-size-probe 使用"));
            }

            options = options with { MaxSizeLimit = ServeArguments.ParseSize(limit, "--max-size-limit") };
        }

        return new CheckRequest(page.Read(result, options), page.Browsers(result));
    }

    /// <summary>The per-target options given explicitly in <paramref name="result"/>, as command-line words again, so
    /// that they can be handed on to each line of a --targets file.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Words)> Given(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var given = new List<(string, IReadOnlyList<string>)>();
        foreach (var option in Options)
        {
            if (result.GetResult(option) is { Implicit: false } found)
            {
                var values = found.Tokens.Select(t => t.Value).ToArray();
                // An option given several times (-H a -H b) comes back with all its values: one name per value keeps
                // the arity of each occurrence.
                IReadOnlyList<string> words = values.Length == 0 ? [option.Name] : option.ValueType == typeof(string[]) ? values.SelectMany(v => new[] { option.Name, v }).ToArray() : [option.Name, .. values];
                given.Add((option.Name, words));
            }
        }

        return given;
    }
}
