using System.CommandLine;
using Wsdoctor.Server.Hosting;
using Wsdoctor.Server.Observability;

namespace Wsdoctor.Cli;

/// <summary>serve's options, in one place; <see cref="Read"/> validates them into <see cref="ServeOptions"/>.</summary>
public sealed class ServeCommandOptions
{
    public Option<string[]> Listen { get; } = new("--listen") { Description = "ADDR:PORT to listen on (repeatable; default 127.0.0.1:8080; localhost:P = 127.0.0.1 and [::1]; port 0 = any free port)", Arity = ArgumentArity.ZeroOrMore };
    public Option<string> Path { get; } = new("--path") { Description = "WebSocket path", DefaultValueFactory = _ => "/" };
    public Option<string> Mode { get; } = new("--mode") { Description = "echo | broadcast | stdio", DefaultValueFactory = _ => "echo" };
    public Option<string?> TlsCert { get; } = new("--tls-cert") { Description = "PEM with the certificate chain to serve (leaf first, then intermediates)" };
    public Option<string?> TlsKey { get; } = new("--tls-key") { Description = "PEM with the private key of --tls-cert" };
    public Option<bool> TlsDev { get; } = new("--tls-dev") { Description = "Create (or reuse) a local dev CA and a certificate for localhost, 127.0.0.1 and ::1" };
    public Option<string?> TlsDevDir { get; } = new("--tls-dev-dir") { Description = "Where --tls-dev keeps its files (default $XDG_DATA_HOME/wsdoctor/dev-tls)" };
    public Option<string[]> AllowOrigin { get; } = new("--allow-origin") { Description = "Allowed Origin: https://app.example.com[:port], *.example.com or * (repeatable)", Arity = ArgumentArity.ZeroOrMore };
    public Option<string?> Token { get; } = new("--token") { Description = "Require this token (Bearer header, ?token=, cookie token=, or subprotocol)" };
    public Option<string?> JwtSecret { get; } = new("--jwt-secret") { Description = "Require an HS256 JWT signed with this secret" };
    public Option<string> JwtLeeway { get; } = new("--jwt-leeway") { Description = "Clock leeway for exp/nbf", DefaultValueFactory = _ => "10s" };
    public Option<bool> AuthFirstMessage { get; } = new("--auth-first-message") { Description = "Take the token from the first message instead (close 1008 if missing or wrong)" };
    public Option<string> PingInterval { get; } = new("--ping-interval") { Description = "Ping every DUR (0 = off)", DefaultValueFactory = _ => "30s" };
    public Option<string> PingTimeout { get; } = new("--ping-timeout") { Description = "Close peers whose pong is this late", DefaultValueFactory = _ => "10s" };
    public Option<int> MaxConnections { get; } = new("--max-connections") { Description = "Refuse handshakes over this many connections with 503", DefaultValueFactory = _ => 10_000 };
    public Option<string> MaxMessageSize { get; } = new("--max-message-size") { Description = "Close 1009 on larger messages (bytes; k/m suffixes: 16m)", DefaultValueFactory = _ => "67108864" };
    public Option<string> HandshakeTimeout { get; } = new("--handshake-timeout") { Description = "Drop request heads slower than this", DefaultValueFactory = _ => "10s" };
    public Option<int> SendQueue { get; } = new("--send-queue") { Description = "Outgoing messages queued per client before it is closed as too slow", DefaultValueFactory = _ => 1024 };
    public Option<string[]> Subprotocol { get; } = new("--subprotocol") { Description = "Supported subprotocol (repeatable; the first one the client offers is selected)", Arity = ArgumentArity.ZeroOrMore };
    public Option<bool> Compress { get; } = new("--compress") { Description = "Enable permessage-deflate when the client offers it" };
    public Option<string> LogFormat { get; } = new("--log-format") { Description = "text (logfmt) | json; logs go to stderr", DefaultValueFactory = _ => "text" };
    public Option<string?> MetricsListen { get; } = new("--metrics-listen") { Description = "Serve /healthz and /metrics on this ADDR:PORT instead" };
    public Option<string> ShutdownTimeout { get; } = new("--shutdown-timeout") { Description = "How long to wait for clients' close handshakes on shutdown", DefaultValueFactory = _ => "5s" };

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
            throw new UsageException($"--listen {duplicate.Key} is given twice");
        }

        var path = result.GetValue(Path)!;
        if (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            throw new UsageException($"--path must start with / and hold no query (got '{path}')");
        }

        var mode = result.GetValue(Mode)!.ToLowerInvariant() switch
        {
            "echo" => ServeMode.Echo,
            "broadcast" => ServeMode.Broadcast,
            "stdio" => ServeMode.Stdio,
            var other => throw new UsageException($"--mode takes echo, broadcast or stdio (got '{other}')"),
        };
        var logFormat = result.GetValue(LogFormat)!.ToLowerInvariant() switch
        {
            "text" => Server.Observability.LogFormat.Text,
            "json" => Server.Observability.LogFormat.Json,
            var other => throw new UsageException($"--log-format takes text or json (got '{other}')"),
        };

        var token = result.GetValue(Token);
        var jwtSecret = result.GetValue(JwtSecret);
        if (token is { Length: 0 } || jwtSecret is { Length: 0 })
        {
            throw new UsageException("--token and --jwt-secret must not be empty");
        }

        if (result.GetValue(AuthFirstMessage) && token is null && jwtSecret is null)
        {
            throw new UsageException("--auth-first-message needs --token or --jwt-secret");
        }

        var maxConnections = result.GetValue(MaxConnections);
        var sendQueue = result.GetValue(SendQueue);
        if (maxConnections < 1 || sendQueue < 1)
        {
            throw new UsageException("--max-connections and --send-queue must be at least 1");
        }

        var tlsCert = result.GetValue(TlsCert);
        var tlsKey = result.GetValue(TlsKey);
        if ((tlsCert is null) != (tlsKey is null))
        {
            throw new UsageException("--tls-cert and --tls-key go together");
        }

        if (tlsCert is not null && result.GetValue(TlsDev))
        {
            throw new UsageException("--tls-dev and --tls-cert exclude each other");
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
        endpoints.Count == 1 ? endpoints[0] : throw new UsageException($"{option} takes one address; use 127.0.0.1:P or [::1]:P");
}
