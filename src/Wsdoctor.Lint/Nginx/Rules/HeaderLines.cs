using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>The proxy_set_header lines the WebSocket rules write, and the one trap in adding them: a location that
/// had no proxy_set_header of its own loses every inherited one as soon as it gets one, so the fix repeats them.</summary>
public static class HeaderLines
{
    public const string Upgrade = "proxy_set_header Upgrade $http_upgrade;";

    public const string Connection = "proxy_set_header Connection $connection_upgrade;";

    public const string Host = "proxy_set_header Host $host;";

    public const string Map = """
        map $http_upgrade $connection_upgrade {
            default upgrade;
            ''      close;
        }
        """;

    /// <summary>What follows a location's fix when http {} lacks the map: the map, introduced by a line of prose.</summary>
    public static Text AndMapInHttp { get; } = T($"\nand in http {{}}:\n{Map}", $"\n并在 http {{}} 中加上：\n{Map}");

    /// <summary>The location with <paramref name="lines"/> added, plus the inherited header lines it would
    /// otherwise lose.</summary>
    public static FixBlock AddTo(NginxLocation location, params string[] lines)
    {
        var fix = NginxFixBlock.For(location.Directive);
        if (!location.Scope.Own("proxy_set_header").Any() && location.Scope.Parent?.ArraySource("proxy_set_header") is { } inherited)
        {
            var names = lines.Select(NameOf).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var line in inherited.Own("proxy_set_header").Where(l => !names.Contains(l.Arg(0))))
            {
                fix.Add(line.Text, $"repeated from the {inherited.Kind} level");
            }
        }

        foreach (var line in lines)
        {
            fix.Add(line);
        }

        return fix;
    }

    private static string NameOf(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var name, ..] ? name : "";
}
