using System.CommandLine;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Opening;
using Wsdoctor.Load.Payloads;
using Wsdoctor.Load.Runs;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Bench;

/// <summary><c>wsdoctor bench URL</c>: a load test with every connection option of check and connect, closed or
/// open loop, connection phases, payloads, SLO gates, shards; and <c>wsdoctor bench merge FILE...</c>.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        // With --scenario the scenario's target gives the URL; one on the command line replaces it.
        connection.Url.Arity = ArgumentArity.ZeroOrOne;
        var o = new BenchOptionSet();
        var command = new Command("bench", H("Load-test a WebSocket server: throughput, latency percentiles without coordinated omission, errors named by cause", "对 WebSocket 服务端做压测：吞吐量、不受协同遗漏（coordinated omission）影响的延迟分位数，错误按原因归类"));
        connection.AddTo(command);
        foreach (var option in o.All)
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(BenchMergeCommand.Create());
        command.SetAction(async (result, ct) =>
        {
            var scenario = result.GetValue(o.Scenario) is { } file ? BenchScenario.Load(file, result.GetValue(o.ScenarioName), connection, result) : null;
            if (scenario is null && result.GetValue(connection.Url) is null)
            {
                throw new UsageException(T("bench needs a URL, or --scenario FILE whose target gives one", "bench 需要一个 URL，或用 --scenario FILE 指定一个在 target 中给出了 URL 的场景文件"));
            }

            var check = (scenario?.Check ?? connection.Read(result)) with { NoFollowUpProbes = true };
            var settings = o.Read(result, check, deadlineGiven: result.GetValue(connection.Deadline) is not null, scenario);
            return await BenchRunner.RunAsync(settings, ct).ConfigureAwait(false);
        });
        return command;
    }
}

/// <summary>What one bench invocation was told, parsed.</summary>
public sealed record BenchSettings
{
    public required LoadPlan Plan { get; init; }
    public required IConnectionDriver Driver { get; init; }
    public required SloGates Gates { get; init; }
    public bool Json { get; init; }
    public string? Output { get; init; }
    public string? HdrLog { get; init; }
    public bool Quiet { get; init; }
}

/// <summary>bench's own options (the connection options are <see cref="ConnectionOptions"/>).</summary>
public sealed class BenchOptionSet
{
    public Option<int?> Connections { get; } = new("--connections", "-c") { Description = H("Connections exchanging messages (default 10)", "收发消息的连接数（默认 10）") };
    public Option<string?> Rate { get; } = new("--rate", "-r") { Description = H("Open loop: messages per second over all connections, latency from each message's scheduled send time (default: closed loop)", "开环：所有连接合计每秒发送的消息数，延迟从每条消息的计划发送时间算起（默认：闭环）") };
    public Option<string?> Duration { get; } = new("--duration", "-d") { Description = H("How long to measure (default 10s)", "测量时长（默认 10s）") };
    public Option<string?> WarmUp { get; } = new("--warmup") { Description = H("Run unmeasured first (default 1s; 0 for none)", "先预热一段时间，不计入测量（默认 1s；0 表示不预热）") };
    public Option<string?> Ramp { get; } = new("--ramp") { Description = H("Open the connections evenly over this time, e.g. 10s", "在这段时间内均匀地建立连接，例如 10s") };
    public Option<string?> ConnectRate { get; } = new("--connect-rate") { Description = H("New connections per second (a handshake storm; with --churn, every reconnect)", "每秒新建的连接数（握手风暴；配合 --churn 时指每次重连）") };
    public Option<int?> Hold { get; } = new("--hold") { Description = H("Also open N idle connections and hold them with heartbeats (the target's connection limit and memory)", "另外建立 N 个空闲连接并用心跳保持（考察目标的连接数上限和内存）") };
    public Option<string?> Heartbeat { get; } = new("--heartbeat") { Description = H("Ping interval of the --hold connections (default 20s)", "--hold 连接的 ping 间隔（默认 20s）") };
    public Option<bool> Churn { get; } = new("--churn") { Description = H("Connect, exchange, close, repeat", "连接、收发、关闭，循环往复") };
    public Option<int?> ChurnMessages { get; } = new("--churn-messages") { Description = H("With --churn: exchanges per connection before it closes (default 1)", "配合 --churn：每个连接关闭前的收发次数（默认 1）") };
    public Option<string?> Size { get; } = new("--size") { Description = H("Message size: 32, 4k, a list 32,4k or weighted 32:9,4k:1 (default 32)", "消息大小：32、4k，列表 32,4k，或带权重的 32:9,4k:1（默认 32）") };
    public Option<string?> Payload { get; } = new("--payload") { Description = H("Send this file's content ({{seq}} and {{ts}} are replaced when it is text)", "发送这个文件的内容（是文本时会替换其中的 {{seq}} 和 {{ts}}）") };
    public Option<string?> Template { get; } = new("--template") { Description = H("Send this text, {{seq}} and {{ts}} replaced, e.g. '{\"id\":{{seq}}}'", "发送这段文本，其中的 {{seq}} 和 {{ts}} 会被替换，例如 '{\"id\":{{seq}}}'") };
    public Option<bool> Text { get; } = new("--text") { Description = H("Send text messages (default for --template and text files)", "发送文本消息（--template 和文本文件默认如此）") };
    public Option<bool> Binary { get; } = new("--binary") { Description = H("Send binary messages (default for --size)", "发送二进制消息（--size 默认如此）") };
    public Option<string?> ReplyRegex { get; } = new("--reply-regex") { Description = H("The reply is the first text message matching this pattern ({{seq}}: the message's number), not an echo", "以匹配这个模式的第一条文本消息作为回复（{{seq}} 为消息序号），而不是回显") };
    public Option<bool> Compress { get; } = new("--compress") { Description = H("Offer permessage-deflate compression", "请求启用 permessage-deflate 压缩") };
    public Option<string?> Shard { get; } = new("--shard") { Description = H("Run shard I of N (I/N, from 0): connections I, I+N, ... and the rate in proportion; merge the reports with 'bench merge'", "运行 N 个分片中的第 I 个（I/N，从 0 开始）：负责第 I、I+N、... 个连接，速率按比例分摊；用 'bench merge' 合并报告") };
    public Option<bool> Json { get; } = new("--json") { Description = H("Print the report as JSON (with the histograms, for 'bench merge')", "以 JSON 输出报告（含直方图，供 'bench merge' 使用）") };
    public Option<string?> Output { get; } = new("--output", "-O") { Description = H("Also write the JSON report to FILE", "同时把 JSON 报告写入 FILE") };
    public Option<string?> HdrLog { get; } = new("--hdr-log") { Description = H("Write the measured latencies to FILE as an HdrHistogram interval log (one histogram a second)", "把测得的延迟以 HdrHistogram 区间日志写入 FILE（每秒一个直方图）") };
    public Option<string?> MaxErrorRate { get; } = new("--max-error-rate") { Description = H("SLO: exit 1 when more than this fraction of operations failed, e.g. 0.01 or 1%", "SLO：失败操作的比例超过这个值时退出码为 1，例如 0.01 或 1%") };
    public Option<string?> P99Max { get; } = new("--p99-max") { Description = H("SLO: exit 1 when the p99 latency is above this, e.g. 50ms", "SLO：p99 延迟超过这个值时退出码为 1，例如 50ms") };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = H("No live progress on stderr", "不在 stderr 上显示实时进度") };
    public Option<string?> Scenario { get; } = new("--scenario") { Description = H("Each connection plays this scenario file's steps as one exchange, with a latency histogram per step (docs/scenarios.md)", "每个连接把这个场景文件的各个步骤当作一次收发来执行，每一步各有一个延迟直方图（docs/scenarios.md）") };
    public Option<string?> ScenarioName { get; } = new("--scenario-name") { Description = H("With --scenario: which scenario of the file (needed when it has several)", "配合 --scenario：用文件中的哪个场景（文件里有多个场景时必须指定）") };

    public IEnumerable<Option> All =>
    [
        Connections, Rate, Duration, WarmUp, Ramp, ConnectRate, Hold, Heartbeat, Churn, ChurnMessages, Size, Payload, Template, Text, Binary,
        ReplyRegex, Compress, Shard, Json, Output, HdrLog, MaxErrorRate, P99Max, Quiet, Scenario, ScenarioName,
    ];

    public BenchSettings Read(ParseResult result, Probes.CheckOptions check, bool deadlineGiven, BenchScenario? scenario = null)
    {
        if (scenario is not null)
        {
            foreach (var option in new Option[] { Size, Payload, Template, Text, Binary, ReplyRegex })
            {
                if (result.GetResult(option) is { Implicit: false })
                {
                    throw new UsageException(T($"{option.Name} describes the echo exchange; with --scenario the scenario's steps say what is sent and expected", $"{option.Name} 描述的是回显收发；使用 --scenario 时，发送什么、期望收到什么由场景的步骤决定"));
                }
            }
        }
        else if (result.GetValue(ScenarioName) is not null)
        {
            throw new UsageException(T("--scenario-name goes with --scenario", "--scenario-name 要与 --scenario 一起使用"));
        }

        var connections = result.GetValue(Connections) ?? 10;
        var hold = result.GetValue(Hold) ?? 0;
        if (connections is < 0 or > 1_000_000 || hold is < 0 or > 1_000_000 || connections + hold == 0)
        {
            throw new UsageException(T("-c/--connections and --hold take 0 to 1000000, and at least one connection in all", "-c/--connections 和 --hold 的取值为 0 到 1000000，且两者合计至少要有一个连接"));
        }

        if (result.GetValue(Ramp) is not null && result.GetValue(ConnectRate) is not null)
        {
            throw new UsageException(T("--ramp and --connect-rate exclude each other (a ramp is a connect rate of connections/time)", "--ramp 和 --connect-rate 不能同时使用（--ramp 本身就是“连接数/时长”的建连速率）"));
        }

        if (result.GetValue(Text) && result.GetValue(Binary))
        {
            throw new UsageException(T("--text and --binary exclude each other", "--text 和 --binary 不能同时使用"));
        }

        var churnMessages = result.GetValue(ChurnMessages);
        if (churnMessages is < 1 or > 1_000_000 || (churnMessages is not null && !result.GetValue(Churn)))
        {
            throw new UsageException(T("--churn-messages takes 1 to 1000000 and goes with --churn", "--churn-messages 的取值为 1 到 1000000，且要与 --churn 一起使用"));
        }

        var shard = Load.Runs.Shard.Whole;
        if (result.GetValue(Shard) is { } shardText && !Load.Runs.Shard.TryParse(shardText, out shard))
        {
            throw new UsageException(T($"--shard takes I/N with 0 <= I < N <= 10000, e.g. 0/4 (got '{shardText}')", $"--shard 的取值是 I/N，满足 0 <= I < N <= 10000，例如 0/4（收到的是“{shardText}”）"));
        }

        double? rate = result.GetValue(Rate) is { } r ? BenchArguments.PositiveRate(r, "--rate") : null;
        if (rate is not null && connections == 0)
        {
            throw new UsageException(T("--rate needs connections to send on (-c)", "--rate 需要有用来发送消息的连接（-c）"));
        }

        var plan = new LoadPlan
        {
            Open = new OpenOptions { Check = check, Compress = result.GetValue(Compress) || scenario?.Compress == true },
            Connections = connections,
            Rate = rate,
            Duration = result.GetValue(Duration) is { } d ? DurationText.Parse(d, "--duration", 24 * 3600) : TimeSpan.FromSeconds(10),
            WarmUp = result.GetValue(WarmUp) is { } w ? BenchArguments.DurationOrZero(w, "--warmup") : TimeSpan.FromSeconds(1),
            Ramp = result.GetValue(Ramp) is { } ramp ? BenchArguments.DurationOrZero(ramp, "--ramp") : TimeSpan.Zero,
            ConnectRate = result.GetValue(ConnectRate) is { } cr ? BenchArguments.PositiveRate(cr, "--connect-rate") : null,
            Hold = hold,
            Heartbeat = result.GetValue(Heartbeat) is { } hb ? DurationText.Parse(hb, "--heartbeat") : TimeSpan.FromSeconds(20),
            Churn = result.GetValue(Churn),
            ChurnExchanges = churnMessages ?? 1,
            Shard = shard!,
            Deadline = deadlineGiven ? check.Deadline : null,
        };
        if (plan.LocalConnections + plan.LocalHold == 0)
        {
            throw new UsageException(T($"shard {shard} of {connections + hold} connections has none: use fewer shards", $"分片 {shard} 在共 {connections + hold} 个连接中分不到任何连接：请减少分片数"));
        }

        return new BenchSettings
        {
            Plan = plan,
            Driver = scenario?.Driver ?? (IConnectionDriver)Driver(result),
            Gates = new SloGates(
                result.GetValue(MaxErrorRate) is { } mer ? BenchArguments.Fraction(mer, "--max-error-rate") : null,
                result.GetValue(P99Max) is { } p99 ? DurationText.Parse(p99, "--p99-max") : null),
            Json = result.GetValue(Json),
            Output = result.GetValue(Output),
            HdrLog = result.GetValue(HdrLog),
            Quiet = result.GetValue(Quiet),
        };
    }

    private EchoDriver Driver(ParseResult result)
    {
        var sources = new[] { result.GetValue(Size) is not null, result.GetValue(Payload) is not null, result.GetValue(Template) is not null }.Count(x => x);
        if (sources > 1)
        {
            throw new UsageException(T("--size, --payload and --template exclude each other", "--size、--payload 和 --template 只能使用其中一个"));
        }

        var forced = result.GetValue(Text) ? WebSocketMessageType.Text : result.GetValue(Binary) ? WebSocketMessageType.Binary : (WebSocketMessageType?)null;
        MessageSource source;
        if (result.GetValue(Template) is { } template)
        {
            source = MessageSource.Template(template, forced ?? WebSocketMessageType.Text);
        }
        else if (result.GetValue(Payload) is { } file)
        {
            source = FromFile(file, forced);
        }
        else
        {
            var sizes = BenchArguments.Sizes(result.GetValue(Size) ?? "32");
            source = MessageSource.Sized(sizes, forced ?? WebSocketMessageType.Binary);
        }

        try
        {
            return new EchoDriver(source, result.GetValue(ReplyRegex));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(T($"--reply-regex: {ex.Message}", $"--reply-regex：{ex.Message}"));
        }
    }

    private static MessageSource FromFile(string path, WebSocketMessageType? forced)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException(T($"--payload: cannot read {path}: {ex.Message}", $"--payload：无法读取 {path}：{ex.Message}"));
        }

        if (bytes.Length > BenchArguments.MaxMessageBytes)
        {
            throw new UsageException(T($"--payload: {path} is larger than 64 MiB", $"--payload：{path} 超过了 64 MiB"));
        }

        string? text = null;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not text: sent as binary, as it is.
        }

        if (forced == WebSocketMessageType.Text && text is null)
        {
            throw new UsageException(T($"--payload: {path} is not UTF-8, so it cannot be sent as --text", $"--payload：{path} 不是 UTF-8 编码，不能作为 --text 发送"));
        }

        var type = forced ?? (text is null ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
        return text is not null && (text.Contains("{{seq}}", StringComparison.Ordinal) || text.Contains("{{ts}}", StringComparison.Ordinal))
            ? MessageSource.Template(text, type)
            : MessageSource.Fixed(bytes, type, $"{(type == WebSocketMessageType.Text ? "text" : "binary")} file {Path.GetFileName(path)} ({bytes.Length} B)");
    }
}
