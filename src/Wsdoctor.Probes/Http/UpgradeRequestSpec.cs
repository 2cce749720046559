using System.Reflection;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Probes.Url;

namespace Wsdoctor.Probes.Http;

/// <summary>The upgrade request as the user asked for it: headers, Origin, subprotocols, token and cookie.</summary>
public static class UpgradeRequestSpec
{
    public static readonly string UserAgent = "wsdoctor/" +
        (typeof(UpgradeRequestSpec).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    /// <summary>Builds the request head. <paramref name="origin"/> is sent as given (null: no Origin header),
    /// so that the Origin probe can vary it while everything else stays the same.</summary>
    public static (string Head, string Key) Build(CheckOptions options, TargetUrl target, string? origin)
    {
        var key = Wsdoctor.Protocol.Frames.HandshakeKeys.NewKey();
        var headers = new List<HttpHeader> { new("User-Agent", UserAgent) };
        if (origin is not null)
        {
            headers.Add(new HttpHeader("Origin", origin));
        }

        var protocols = OfferedSubprotocols(options);
        if (protocols.Count > 0)
        {
            headers.Add(new HttpHeader("Sec-WebSocket-Protocol", string.Join(", ", protocols)));
        }

        var cookies = new List<string>();
        if (options.Cookie is { } cookie)
        {
            cookies.Add(cookie);
        }

        var path = target.PathAndQuery;
        if (options.Token is { } token)
        {
            switch (options.TokenIn.Kind)
            {
                case TokenPlacementKind.BearerHeader:
                    headers.Add(new HttpHeader("Authorization", $"Bearer {token}"));
                    break;
                case TokenPlacementKind.Header:
                    headers.Add(new HttpHeader(options.TokenIn.Name!, token));
                    break;
                case TokenPlacementKind.Cookie:
                    cookies.Add($"{options.TokenIn.Name}={token}");
                    break;
                case TokenPlacementKind.Query:
                    path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") +
                        $"{Uri.EscapeDataString(options.TokenIn.Name!)}={Uri.EscapeDataString(token)}";
                    break;
                case TokenPlacementKind.Subprotocol:
                    break;
            }
        }

        if (cookies.Count > 0)
        {
            headers.Add(new HttpHeader("Cookie", string.Join("; ", cookies)));
        }

        // User headers last: a -H with the same name replaces what wsdoctor would have sent.
        foreach (var header in options.Headers)
        {
            headers.RemoveAll(h => h.Name.Equals(header.Name, StringComparison.OrdinalIgnoreCase));
        }

        headers.AddRange(options.Headers);
        return (UpgradeRequest.Build(target.HostHeader, path, key, headers), key);
    }

    public static IReadOnlyList<string> OfferedSubprotocols(CheckOptions options)
    {
        var list = options.Subprotocols.ToList();
        if (options.Token is { } token && options.TokenIn.Kind == TokenPlacementKind.Subprotocol)
        {
            list.Add(token);
        }

        var header = options.Headers.FirstOrDefault(h => h.Name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase));
        if (header is not null)
        {
            list = header.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        }

        return list;
    }
}
