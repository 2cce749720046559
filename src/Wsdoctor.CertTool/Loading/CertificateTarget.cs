using System.Globalization;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Loading;

/// <summary>What <c>cert inspect TARGET…</c> names: a wss:// (or https://) URL, HOST:PORT, files, or a certbot live/
/// directory. Files win over HOST:PORT when both readings are possible (a file called "a:1" exists).</summary>
public static class CertificateTarget
{
    public static async Task<LoadedChain> LoadAsync(IReadOnlyList<string> targets, string? connectTo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0)
        {
            throw new CertInputException(T("cert inspect needs a target: wss://host/path, host:port, certificate files or a certbot live/NAME/ directory", "cert inspect 需要一个目标：wss://host/path、host:port、证书文件或 certbot 的 live/NAME/ 目录"));
        }

        if (targets.Count == 1 && Remote(targets[0]) is { } remote)
        {
            return await ServedChain.FetchAsync(remote.Host, remote.Port, connectTo, timeout, cancellationToken).ConfigureAwait(false);
        }

        if (targets.Count == 1 && Directory.Exists(targets[0]))
        {
            if (!CertbotLive.Looks(targets[0]))
            {
                throw new CertInputException(T($"{targets[0]} is a directory without cert.pem or fullchain.pem (a certbot live/NAME/ directory has them)", $"{targets[0]} 是目录，但其中没有 cert.pem 或 fullchain.pem（certbot 的 live/NAME/ 目录里会有）"));
            }

            return CertbotLive.Load(targets[0]);
        }

        var certificates = targets.SelectMany(CertificateFiles.Read).ToArray();
        return new LoadedChain(string.Join(" + ", targets), ChainSourceKind.Files, certificates, Host: null, []);
    }

    /// <summary>wss://, https://, ws:// is refused (no TLS), HOST:PORT.</summary>
    public static (string Host, int Port)? Remote(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (File.Exists(target) || Directory.Exists(target))
        {
            return null;
        }

        if (target.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri))
            {
                throw new CertInputException(T($"not a URL: {target}", $"不是 URL：{target}"));
            }

            return uri.Scheme switch
            {
                "wss" or "https" => (uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 443 : uri.Port),
                "ws" or "http" => throw new CertInputException(T($"{target} is not TLS: use wss:// (or https://) to see its certificate", $"{target} 没有使用 TLS：请用 wss://（或 https://）查看它的证书")),
                _ => throw new CertInputException(T($"unsupported scheme {uri.Scheme}:// (use wss://, https://, host:port or files)", $"不支持的协议 {uri.Scheme}://（请使用 wss://、https://、host:port 或文件）")),
            };
        }

        var colon = target.LastIndexOf(':');
        if (colon > 0 && int.TryParse(target[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            var host = target[..colon];
            if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
            {
                throw new CertInputException(T($"write an IPv6 address in brackets: [{host}]:{port}", $"IPv6 地址请写在方括号中：[{host}]:{port}"));
            }

            return (host, port);
        }

        throw new CertInputException(target.Contains('.', StringComparison.Ordinal) && !target.Contains('/', StringComparison.Ordinal)
            ? T($"file not found: {target} (for a server, give host:port or wss://{target}/)", $"文件不存在：{target}（如果是服务器，请给出 host:port 或 wss://{target}/）")
            : T($"file not found: {target}", $"文件不存在：{target}"));
    }
}
