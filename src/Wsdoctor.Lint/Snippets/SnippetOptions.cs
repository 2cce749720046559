using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Snippets;

/// <summary>What <c>wsdoctor snippet</c> fills into a template.</summary>
/// <param name="Upstream">The WebSocket server behind the proxy, HOST:PORT.</param>
/// <param name="Path">The path clients open (<c>/ws</c>).</param>
/// <param name="Tls">Terminate TLS at the proxy (wss:// for clients, ws:// to the upstream).</param>
/// <param name="Heartbeat">The application's heartbeat interval; the idle timeouts are set well above it.</param>
/// <param name="ServerName">The host name clients use.</param>
/// <param name="Listen">Where the proxy listens, HOST:PORT; null: every address on port 80 (443 with TLS).</param>
/// <param name="CertificateDirectory">Where fullchain.pem and privkey.pem are (certbot's layout by default).</param>
public sealed record SnippetOptions(
    string Upstream,
    string Path,
    bool Tls,
    TimeSpan Heartbeat,
    string ServerName,
    string? Listen,
    string? CertificateDirectory)
{
    public static SnippetOptions Default { get; } = new("127.0.0.1:8080", "/ws", false, TimeSpan.FromSeconds(30), "example.com", null, null);

    public string CertificateDirectoryOrDefault => CertificateDirectory ?? $"/etc/letsencrypt/live/{ServerName}";

    public string FullChain => CertificateDirectoryOrDefault.TrimEnd('/') + "/fullchain.pem";

    public string PrivateKey => CertificateDirectoryOrDefault.TrimEnd('/') + "/privkey.pem";

    /// <summary>Idle timeouts for the tunnel: an hour, or four heartbeats if that is longer, so that a late or lost
    /// heartbeat never ends a connection.</summary>
    public TimeSpan TunnelTimeout => Heartbeat * 4 > TimeSpan.FromHours(1) ? Heartbeat * 4 : TimeSpan.FromHours(1);

    public int DefaultPort => Tls ? 443 : 80;

    public (string Host, int Port) UpstreamParts => Split(Upstream)!.Value;

    public (string? Host, int Port) ListenParts => Listen is null ? (null, DefaultPort) : Split(Listen)!.Value;

    /// <summary>Why the options cannot make a snippet, in both languages, or null.</summary>
    public Text? Problem()
    {
        if (Split(Upstream) is null)
        {
            return T($"--upstream takes HOST:PORT (got '{Upstream}')", $"--upstream 的取值是 HOST:PORT（收到的是“{Upstream}”）");
        }

        if (Listen is not null && Split(Listen) is null)
        {
            return T($"--listen takes HOST:PORT (got '{Listen}')", $"--listen 的取值是 HOST:PORT（收到的是“{Listen}”）");
        }

        if (!Path.StartsWith('/') || Path.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or ';' or '{' or '}' or '#' or '`'))
        {
            return T($"--path takes a URL path starting with / (got '{Path}')", $"--path 的取值是以 / 开头的 URL 路径（收到的是“{Path}”）");
        }

        if (ServerName.Length == 0 || ServerName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_')))
        {
            return T($"--server-name takes a host name (got '{ServerName}')", $"--server-name 的取值是主机名（收到的是“{ServerName}”）");
        }

        return null;
    }

    private static (string Host, int Port)? Split(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var host = text[..colon].Trim('[', ']');
        return host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '"' or ';') ? null : (host, port);
    }
}
