using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx;

/// <summary>Which locations carry WebSocket traffic, so that the WebSocket rules judge those and leave the rest of
/// the site alone. A location counts when it passes requests on (<c>proxy_pass</c>) and
/// <list type="bullet">
/// <item>it, or a level above it, sets <c>Upgrade</c> or a <c>Connection</c> that mentions upgrade (the author meant
/// it for WebSockets), or</item>
/// <item>nginx picks it, or redirects from it, for a path given with <c>--ws-path</c>, or</item>
/// <item>without <c>--ws-path</c>: its path has a word (split at anything not a letter or digit) that is ws, wss,
/// cable (Rails Action Cable), graphql, or ends in socket(s) or hub(s) (/socket.io/, /websocket, /chathub,
/// /hubs/chat).</item>
/// </list></summary>
public static partial class WebSocketLocations
{
    private static readonly string[] Words = ["ws", "wss", "cable", "graphql"];

    private static readonly string[] Endings = ["socket", "sockets", "hub", "hubs"];

    /// <summary>Why the location carries WebSocket traffic, or null.</summary>
    public static Text? Reason(NginxLocation location, NginxServer server, NginxLintOptions options)
    {
        if (location.ProxyPass is null)
        {
            return null;
        }

        if (DeclaresUpgrade(location.Scope) is { } declared)
        {
            return T($"it sets {declared.Arg(0)} ({declared.Location})", $"它设置了 {declared.Arg(0)}（{declared.Location}）");
        }

        foreach (var path in options.WsPaths)
        {
            var (chosen, redirects) = LocationMatcher.Select(server.Locations, path);
            if (chosen == location || redirects == location)
            {
                return T($"nginx picks it for --ws-path {path}", $"nginx 会为 --ws-path {path} 选中它");
            }
        }

        if (options.WsPaths.Count == 0 && HeuristicWord(location.Pattern) is { } word)
        {
            return T($"its path has \"{word}\" in it (pass --ws-path to name the WebSocket paths)", $"它的路径里有 \"{word}\"（可用 --ws-path 指明 WebSocket 路径）");
        }

        return null;
    }

    /// <summary>The first <c>proxy_set_header Upgrade</c>, or <c>Connection</c> mentioning upgrade, on this level or
    /// above (even when inheritance drops it: the author meant it).</summary>
    public static NginxDirective? DeclaresUpgrade(NginxScope scope)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            var line = s.Own("proxy_set_header").FirstOrDefault(d =>
                d.ArgCount >= 2 && (d.Arg(0).Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
                                    || (d.Arg(0).Equals("Connection", StringComparison.OrdinalIgnoreCase) && d.Arg(1).Contains("upgrade", StringComparison.OrdinalIgnoreCase))));
            if (line is not null)
            {
                return line;
            }
        }

        return null;
    }

    public static string? HeuristicWord(string path)
    {
        var words = NotAlphanumeric().Split(path.ToLowerInvariant());
        return words.FirstOrDefault(w => w.Length > 0 && (Words.Contains(w) || Endings.Any(e => w.EndsWith(e, StringComparison.Ordinal))));
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotAlphanumeric();
}
