using System.CommandLine;
using Wsdoctor.Probes;
using Wsdoctor.Protocol.Http;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary>The options every command that opens a WebSocket shares (check and connect), parsed in one place.</summary>
public sealed class ConnectionOptions
{
    public Argument<string> Url { get; } = new("url") { Description = H("ws:// or wss:// URL", "ws:// 或 wss:// URL") };
    public Option<string[]> Header { get; } = new("--header", "-H") { Description = H("Extra request header 'Name: value' (repeatable)", "额外的请求头 'Name: value'（可重复）"), Arity = ArgumentArity.ZeroOrMore };
    public Option<string?> Origin { get; } = new("--origin", "-o") { Description = H("Origin header to send (as a browser page at that origin would)", "要发送的 Origin 请求头（就像该源下的浏览器页面那样）") };
    public Option<string[]> Subprotocol { get; } = new("--subprotocol", "-s") { Description = H("Subprotocol to offer (repeatable)", "要提供的子协议（可重复）"), Arity = ArgumentArity.ZeroOrMore };
    public Option<string?> Token { get; } = new("--token") { Description = H("Credential to send (Bearer header unless --token-in says otherwise)", "要发送的凭据（默认放在 Bearer 请求头，可用 --token-in 指定别处）") };
    public Option<string?> TokenIn { get; } = new("--token-in") { Description = H("Where --token goes: bearer | query:NAME | cookie:NAME | header:NAME | subprotocol", "--token 放在哪里：bearer | query:NAME | cookie:NAME | header:NAME | subprotocol") };
    public Option<string?> Cookie { get; } = new("--cookie") { Description = H("Cookie header value, e.g. 'session=abc'", "Cookie 请求头的值，例如 'session=abc'") };
    public Option<bool> Insecure { get; } = new("--insecure", "-k") { Description = H("Go on past certificate errors (they are still reported)", "遇到证书错误也继续（错误仍会报告）") };
    public Option<string?> Ca { get; } = new("--ca") { Description = H("PEM file with the CA certificate(s) to trust instead of the system store", "要信任的 CA 证书 PEM 文件，代替系统信任库") };
    public Option<string?> Cert { get; } = new("--cert") { Description = H("Client certificate (PEM) for mutual TLS", "双向 TLS 用的客户端证书（PEM）") };
    public Option<string?> Key { get; } = new("--key") { Description = H("Private key (PEM) of --cert", "--cert 的私钥（PEM）") };
    public Option<string?> ConnectTo { get; } = new("--connect-to") { Description = H("Connect to HOST:PORT instead, keeping the URL's Host header and SNI", "改为连接 HOST:PORT，但保留 URL 的 Host 请求头和 SNI") };
    public Option<bool> IPv4 { get; } = new("-4", "--ipv4") { Description = H("Use IPv4 addresses only", "只用 IPv4 地址") };
    public Option<bool> IPv6 { get; } = new("-6", "--ipv6") { Description = H("Use IPv6 addresses only", "只用 IPv6 地址") };
    public Option<string?> Timeout { get; } = new("--timeout") { Description = H("Timeout of each step (default 5s)", "每一步的超时（默认 5s）") };
    public Option<string?> Deadline { get; } = new("--deadline") { Description = H("Overall time limit (default 30s)", "总时限（默认 30s）") };
    public Option<bool> ShowSecrets { get; } = new("--show-secrets") { Description = H("Print tokens, cookies and Authorization unredacted", "打印未脱敏的令牌、cookie 和 Authorization") };
    public Option<string?> Proxy { get; } = new("--proxy") { Description = H("HTTP CONNECT proxy http://[user:pass@]host:port (default: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY unless NO_PROXY covers the host)", "HTTP CONNECT 代理 http://[user:pass@]host:port（默认取 HTTPS_PROXY / HTTP_PROXY / ALL_PROXY，除非 NO_PROXY 包含该主机）") };
    public Option<bool> NoProxy { get; } = new("--no-proxy") { Description = H("Connect directly, ignoring proxy environment variables", "直接连接，忽略代理环境变量") };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Url);
        foreach (var option in new Option[] { Header, Origin, Subprotocol, Token, TokenIn, Cookie, Insecure, Ca, Cert, Key, ConnectTo, IPv4, IPv6, Timeout, Deadline, ShowSecrets, Proxy, NoProxy })
        {
            command.Options.Add(option);
        }
    }

    public CheckOptions Read(ParseResult result)
    {
        var headers = (result.GetValue(Header) ?? []).Select(ParseHeader).ToArray();
        var placement = TokenPlacement.Bearer;
        if (result.GetValue(TokenIn) is { } tokenIn && !TokenPlacement.TryParse(tokenIn, "--token-in", out placement, out var tokenInError))
        {
            throw new UsageException(tokenInError);
        }

        if (result.GetValue(Proxy) is not null && result.GetValue(NoProxy))
        {
            throw new UsageException(T("--proxy and --no-proxy exclude each other", "--proxy 和 --no-proxy 不能同时使用"));
        }

        if (result.GetValue(IPv4) && result.GetValue(IPv6))
        {
            throw new UsageException(T("-4 and -6 exclude each other", "-4 和 -6 不能同时使用"));
        }

        return new CheckOptions
        {
            Url = result.GetValue(Url)!,
            Headers = headers,
            Origin = result.GetValue(Origin),
            Subprotocols = result.GetValue(Subprotocol) ?? [],
            Token = result.GetValue(Token),
            TokenIn = placement,
            Cookie = result.GetValue(Cookie),
            Insecure = result.GetValue(Insecure),
            CaFile = result.GetValue(Ca),
            CertFile = result.GetValue(Cert),
            KeyFile = result.GetValue(Key),
            ConnectTo = result.GetValue(ConnectTo),
            Family = result.GetValue(IPv4) ? AddressFamilyPreference.IPv4 : result.GetValue(IPv6) ? AddressFamilyPreference.IPv6 : AddressFamilyPreference.Any,
            StepTimeout = result.GetValue(Timeout) is { } t ? DurationText.Parse(t, "--timeout") : TimeSpan.FromSeconds(5),
            Deadline = result.GetValue(Deadline) is { } d ? DurationText.Parse(d, "--deadline") : TimeSpan.FromSeconds(30),
            ShowSecrets = result.GetValue(ShowSecrets),
            Proxy = result.GetValue(Proxy),
            NoProxy = result.GetValue(NoProxy),
        };
    }

    private static HttpHeader ParseHeader(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new UsageException(T($"-H takes 'Name: value' (got '{text}')", $"-H 的格式是 'Name: value'（收到的是“{text}”）"));
        }

        var name = text[..colon].Trim();
        var value = text[(colon + 1)..].Trim();
        if (name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal)) || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            throw new UsageException(T($"-H: '{name}' is not a valid header", $"-H：“{name}”不是有效的请求头"));
        }

        return new HttpHeader(name, value);
    }
}
