using System.Globalization;

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
            throw new CertInputException("cert inspect needs a target: wss://host/path, host:port, certificate files or a certbot live/NAME/ directory");
        }

        if (targets.Count == 1 && Remote(targets[0]) is { } remote)
        {
            return await ServedChain.FetchAsync(remote.Host, remote.Port, connectTo, timeout, cancellationToken).ConfigureAwait(false);
        }

        if (targets.Count == 1 && Directory.Exists(targets[0]))
        {
            if (!CertbotLive.Looks(targets[0]))
            {
                throw new CertInputException($"{targets[0]} is a directory without cert.pem or fullchain.pem (a certbot live/NAME/ directory has them)");
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
                throw new CertInputException($"not a URL: {target}");
            }

            return uri.Scheme switch
            {
                "wss" or "https" => (uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 443 : uri.Port),
                "ws" or "http" => throw new CertInputException($"{target} is not TLS: use wss:// (or https://) to see its certificate"),
                _ => throw new CertInputException($"unsupported scheme {uri.Scheme}:// (use wss://, https://, host:port or files)"),
            };
        }

        var colon = target.LastIndexOf(':');
        if (colon > 0 && int.TryParse(target[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            var host = target[..colon];
            if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
            {
                throw new CertInputException($"write an IPv6 address in brackets: [{host}]:{port}");
            }

            return (host, port);
        }

        throw new CertInputException(target.Contains('.', StringComparison.Ordinal) && !target.Contains('/', StringComparison.Ordinal)
            ? $"file not found: {target} (for a server, give host:port or wss://{target}/)"
            : $"file not found: {target}");
    }
}
