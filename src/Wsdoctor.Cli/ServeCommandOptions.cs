using System.CommandLine;
using Wsdoctor.Server.Hosting;
using Wsdoctor.Server.Observability;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary>serve's options, in one place; <see cref="Read"/> validates them into <see cref="ServeOptions"/>.</summary>
public sealed class ServeCommandOptions
{
    public Option<string[]> Listen { get; } = new("--listen") { Description = H("ADDR:PORT to listen on (repeatable; default 127.0.0.1:8080; localhost:P = 127.0.0.1 and [::1]; port 0 = any free port)", "监听的 ADDR:PORT（可重复；默认 127.0.0.1:8080；localhost:P 表示 127.0.0.1 和 [::1]；端口 0 表示任一空闲端口）"), Arity = ArgumentArity.ZeroOrMore };
    public Option<string> Path { get; } = new("--path") { Description = H("WebSocket path", "WebSocket 路径"), DefaultValueFactory = _ => "/" };
    public Option<string> Mode { get; } = new("--mode") { Description = H("echo | broadcast | stdio", "模式：echo | broadcast | stdio"), DefaultValueFactory = _ => "echo" };
    public Option<string?> TlsCert { get; } = new("--tls-cert") { Description = H("PEM with the certificate chain to serve (leaf first, then intermediates)", "要提供的证书链 PEM 文件（叶子证书在前，然后是中间证书）") };
    public Option<string?> TlsKey { get; } = new("--tls-key") { Description = H("PEM with the private key of --tls-cert", "--tls-cert 的私钥 PEM 文件") };
    public Option<bool> TlsDev { get; } = new("--tls-dev") { Description = H("Create (or reuse) a local dev CA and a certificate for localhost, 127.0.0.1 and ::1", "创建（或复用）本地开发 CA，并签发覆盖 localhost、127.0.0.1 和 ::1 的证书") };
    public Option<string?> TlsDevDir { get; } = new("--tls-dev-dir") { Description = H("Where --tls-dev keeps its files (default $XDG_DATA_HOME/wsdoctor/dev-tls)", "--tls-dev 存放文件的目录（默认 $XDG_DATA_HOME/wsdoctor/dev-tls）") };
    public Option<string[]> AllowOrigin { get; } = new("--allow-origin") { Description = H("Allowed Origin: https://app.example.com[:port], *.example.com or * (repeatable)", "允许的 Origin：https://app.example.com[:port]、*.example.com 或 *（可重复）"), Arity = ArgumentArity.ZeroOrMore };
    public Option<string?> Token { get; } = new("--token") { Description = H("Require this token (Bearer header, ?token=, cookie token=, or subprotocol)", "要求客户端带上这个令牌（Bearer 请求头、?token=、cookie token= 或子协议）") };
    public Option<string?> JwtSecret { get; } = new("--jwt-secret") { Description = H("Require an HS256 JWT signed with this secret", "要求用这个密钥签名的 HS256 JWT") };
    public Option<string> JwtLeeway { get; } = new("--jwt-leeway") { Description = H("Clock leeway for exp/nbf", "exp/nbf 容许的时钟偏差"), DefaultValueFactory = _ => "10s" };
    public Option<bool> AuthFirstMessage { get; } = new("--auth-first-message") { Description = H("Take the token from the first message instead (close 1008 if missing or wrong)", "改为从第一条消息中取令牌（缺失或错误时以 1008 关闭）") };
    public Option<string> PingInterval { get; } = new("--ping-interval") { Description = H("Ping every DUR (0 = off)", "每隔 DUR 发一次 ping（0 表示关闭）"), DefaultValueFactory = _ => "30s" };
    public Option<string> PingTimeout { get; } = new("--ping-timeout") { Description = H("Close peers whose pong is this late", "pong 迟到这么久的对端会被关闭"), DefaultValueFactory = _ => "10s" };
    public Option<int> MaxConnections { get; } = new("--max-connections") { Description = H("Refuse handshakes over this many connections with 503", "连接数超过这个值时，以 503 拒绝握手"), DefaultValueFactory = _ => 10_000 };
    public Option<string> MaxMessageSize { get; } = new("--max-message-size") { Description = H("Close 1009 on larger messages (bytes; k/m suffixes: 16m)", "消息超过这个大小时以 1009 关闭（字节；可用 k/m 后缀，如 16m）"), DefaultValueFactory = _ => "67108864" };
    public Option<string> HandshakeTimeout { get; } = new("--handshake-timeout") { Description = H("Drop request heads slower than this", "请求头在这段时间内没发完就断开"), DefaultValueFactory = _ => "10s" };
    public Option<int> SendQueue { get; } = new("--send-queue") { Description = H("Outgoing messages queued per client before it is closed as too slow", "每个客户端最多排队的待发消息数，超过即视为太慢并关闭"), DefaultValueFactory = _ => 1024 };
    public Option<string[]> Subprotocol { get; } = new("--subprotocol") { Description = H("Supported subprotocol (repeatable; the first one the client offers is selected)", "支持的子协议（可重复；选用客户端提供的第一个受支持的子协议）"), Arity = ArgumentArity.ZeroOrMore };
    public Option<bool> Compress { get; } = new("--compress") { Description = H("Enable permessage-deflate when the client offers it", "客户端提出时启用 permessage-deflate") };
    public Option<string> LogFormat { get; } = new("--log-format") { Description = H("text (logfmt) | json; logs go to stderr", "text (logfmt) | json；日志输出到 stderr"), DefaultValueFactory = _ => "text" };
    public Option<string?> MetricsListen { get; } = new("--metrics-listen") { Description = H("Serve /healthz and /metrics on this ADDR:PORT instead", "改在这个 ADDR:PORT 上提供 /healthz 和 /metrics") };
    public Option<string> ShutdownTimeout { get; } = new("--shutdown-timeout") { Description = H("How long to wait for clients' close handshakes on shutdown", "服务关闭时等待客户端完成关闭握手的时长"), DefaultValueFactory = _ => "5s" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Listen, Path, Mode, TlsCert, TlsKey, TlsDev, TlsDevDir, AllowOrigin, Token, JwtSecret, JwtLeeway, AuthFirstMessage, PingInterval, PingTimeout, MaxConnections, MaxMessageSize, HandshakeTimeout, SendQueue, Subprotocol, Compress, LogFormat, MetricsListen, ShutdownTimeout })
        {
            command.Options.Add(option);
        }
    }

    public ServeOptions Read(ParseResult result)
    {
        var listen = result.GetValue(Listen) is { Length: > 0 } given
            ? given.SelectMany(l => ServeArguments.ParseListen(l, "--listen")).ToList()
            : ServeArguments.ParseListen("127.0.0.1:8080", "--listen").ToList();
        if (listen.GroupBy(l => l.ToString()).FirstOrDefault(g => g.Count() > 1 && g.Key.EndsWith(":0", StringComparison.Ordinal) is false) is { } duplicate)
        {
            throw new UsageException(T($"--listen {duplicate.Key} is given twice", $"--listen {duplicate.Key} 给出了两次"));
        }

        var path = result.GetValue(Path)!;
        if (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            throw new UsageException(T($"--path must start with / and hold no query (got '{path}')", $"--path 必须以 / 开头，且不能带查询串（收到的是“{path}”）"));
        }

        var mode = result.GetValue(Mode)!.ToLowerInvariant() switch
        {
            "echo" => ServeMode.Echo,
            "broadcast" => ServeMode.Broadcast,
            "stdio" => ServeMode.Stdio,
            var other => throw new UsageException(T($"--mode takes echo, broadcast or stdio (got '{other}')", $"--mode 只能是 echo、broadcast 或 stdio（收到的是“{other}”）")),
        };
        var logFormat = result.GetValue(LogFormat)!.ToLowerInvariant() switch
        {
            "text" => Server.Observability.LogFormat.Text,
            "json" => Server.Observability.LogFormat.Json,
            var other => throw new UsageException(T($"--log-format takes text or json (got '{other}')", $"--log-format 只能是 text 或 json（收到的是“{other}”）")),
        };

        var token = result.GetValue(Token);
        var jwtSecret = result.GetValue(JwtSecret);
        if (token is { Length: 0 } || jwtSecret is { Length: 0 })
        {
            throw new UsageException(T("--token and --jwt-secret must not be empty", "--token 和 --jwt-secret 不能为空"));
        }

        if (result.GetValue(AuthFirstMessage) && token is null && jwtSecret is null)
        {
            throw new UsageException(T("--auth-first-message needs --token or --jwt-secret", "--auth-first-message 需要配合 --token 或 --jwt-secret 使用"));
        }

        var maxConnections = result.GetValue(MaxConnections);
        var sendQueue = result.GetValue(SendQueue);
        if (maxConnections < 1 || sendQueue < 1)
        {
            throw new UsageException(T("--max-connections and --send-queue must be at least 1", "--max-connections 和 --send-queue 至少为 1"));
        }

        var tlsCert = result.GetValue(TlsCert);
        var tlsKey = result.GetValue(TlsKey);
        if ((tlsCert is null) != (tlsKey is null))
        {
            throw new UsageException(T("--tls-cert and --tls-key go together", "--tls-cert 和 --tls-key 必须一起使用"));
        }

        if (tlsCert is not null && result.GetValue(TlsDev))
        {
            throw new UsageException(T("--tls-dev and --tls-cert exclude each other", "--tls-dev 和 --tls-cert 不能同时使用"));
        }

        var pingInterval = Duration(result.GetValue(PingInterval)!, "--ping-interval", zeroAllowed: true);
        return new ServeOptions
        {
            Listen = listen,
            Path = path,
            Mode = mode,
            AllowedOrigins = result.GetValue(AllowOrigin) ?? [],
            Token = token,
            JwtSecret = jwtSecret,
            JwtLeeway = Duration(result.GetValue(JwtLeeway)!, "--jwt-leeway", zeroAllowed: true),
            AuthFirstMessage = result.GetValue(AuthFirstMessage),
            PingInterval = pingInterval,
            PingTimeout = Duration(result.GetValue(PingTimeout)!, "--ping-timeout"),
            MaxConnections = maxConnections,
            MaxMessageSize = ServeArguments.ParseSize(result.GetValue(MaxMessageSize)!, "--max-message-size"),
            HandshakeTimeout = Duration(result.GetValue(HandshakeTimeout)!, "--handshake-timeout"),
            SendQueue = sendQueue,
            Subprotocols = result.GetValue(Subprotocol) ?? [],
            Compress = result.GetValue(Compress),
            LogFormat = logFormat,
            MetricsListen = result.GetValue(MetricsListen) is { } m ? Single(ServeArguments.ParseListen(m, "--metrics-listen"), "--metrics-listen") : null,
            ShutdownTimeout = Duration(result.GetValue(ShutdownTimeout)!, "--shutdown-timeout"),
        };
    }

    /// <summary>The TLS options, checked by <see cref="Read"/>; loaded by <see cref="ServeTls"/>.</summary>
    public ServeTlsRequest ReadTls(ParseResult result) =>
        new(result.GetValue(TlsCert), result.GetValue(TlsKey), result.GetValue(TlsDev), result.GetValue(TlsDevDir));

    private static TimeSpan Duration(string text, string option, bool zeroAllowed = false) =>
        zeroAllowed && text.Trim() is "0" or "0s" or "0ms" ? TimeSpan.Zero : DurationText.Parse(text, option);

    private static ListenEndpoint Single(IReadOnlyList<ListenEndpoint> endpoints, string option) =>
        endpoints.Count == 1 ? endpoints[0] : throw new UsageException(T($"{option} takes one address; use 127.0.0.1:P or [::1]:P", $"{option} 只接受一个地址；请用 127.0.0.1:P 或 [::1]:P"));
}
