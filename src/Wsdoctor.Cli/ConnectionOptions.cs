using System.CommandLine;
using Wsdoctor.Probes;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Cli;

/// <summary>The options every command that opens a WebSocket shares (check and connect), parsed in one place.</summary>
public sealed class ConnectionOptions
{
    public Argument<string> Url { get; } = new("url") { Description = "ws:// or wss:// URL" };
    public Option<string[]> Header { get; } = new("--header", "-H") { Description = "Extra request header 'Name: value' (repeatable)", Arity = ArgumentArity.ZeroOrMore };
    public Option<string?> Origin { get; } = new("--origin", "-o") { Description = "Origin header to send (as a browser page at that origin would)" };
    public Option<string[]> Subprotocol { get; } = new("--subprotocol", "-s") { Description = "Subprotocol to offer (repeatable)", Arity = ArgumentArity.ZeroOrMore };
    public Option<string?> Token { get; } = new("--token") { Description = "Credential to send (Bearer header unless --token-in says otherwise)" };
    public Option<string?> TokenIn { get; } = new("--token-in") { Description = "Where --token goes: bearer | query:NAME | cookie:NAME | header:NAME | subprotocol" };
    public Option<string?> Cookie { get; } = new("--cookie") { Description = "Cookie header value, e.g. 'session=abc'" };
    public Option<bool> Insecure { get; } = new("--insecure", "-k") { Description = "Go on past certificate errors (they are still reported)" };
    public Option<string?> Ca { get; } = new("--ca") { Description = "PEM file with the CA certificate(s) to trust instead of the system store" };
    public Option<string?> Cert { get; } = new("--cert") { Description = "Client certificate (PEM) for mutual TLS" };
    public Option<string?> Key { get; } = new("--key") { Description = "Private key (PEM) of --cert" };
    public Option<string?> ConnectTo { get; } = new("--connect-to") { Description = "Connect to HOST:PORT instead, keeping the URL's Host header and SNI" };
    public Option<bool> IPv4 { get; } = new("-4", "--ipv4") { Description = "Use IPv4 addresses only" };
    public Option<bool> IPv6 { get; } = new("-6", "--ipv6") { Description = "Use IPv6 addresses only" };
    public Option<string?> Timeout { get; } = new("--timeout") { Description = "Timeout of each step (default 5s)" };
    public Option<string?> Deadline { get; } = new("--deadline") { Description = "Overall time limit (default 30s)" };
    public Option<bool> ShowSecrets { get; } = new("--show-secrets") { Description = "Print tokens, cookies and Authorization unredacted" };
    public Option<string?> Proxy { get; } = new("--proxy") { Description = "HTTP CONNECT proxy http://[user:pass@]host:port (default: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY unless NO_PROXY covers the host)" };
    public Option<bool> NoProxy { get; } = new("--no-proxy") { Description = "Connect directly, ignoring proxy environment variables" };

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
        if (result.GetValue(TokenIn) is { } tokenIn && !TokenPlacement.TryParse(tokenIn, out placement, out var error))
        {
            throw new UsageException(error);
        }

        if (result.GetValue(Proxy) is not null && result.GetValue(NoProxy))
        {
            throw new UsageException("--proxy and --no-proxy exclude each other");
        }

        if (result.GetValue(IPv4) && result.GetValue(IPv6))
        {
            throw new UsageException("-4 and -6 exclude each other");
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
            throw new UsageException($"-H takes 'Name: value' (got '{text}')");
        }

        var name = text[..colon].Trim();
        var value = text[(colon + 1)..].Trim();
        if (name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal)) || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            throw new UsageException($"-H: '{name}' is not a valid header");
        }

        return new HttpHeader(name, value);
    }
}
