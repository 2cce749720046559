using System.Text.RegularExpressions;

namespace Wsdoctor.Browsers.Probe;

/// <summary>Names the browser behind a User-Agent string well enough to say which browser rules apply to it.</summary>
public static partial class UserAgents
{
    [GeneratedRegex(@"(Edg|OPR|Firefox|Chrome|Chromium|CriOS|FxiOS|Version)/([\d.]+)")]
    private static partial Regex Product();

    /// <summary>(family, name): family is "chromium", "firefox", "safari" or "other"; name e.g. "Firefox 153.0".</summary>
    public static (string Family, string Name) Describe(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return ("other", "an unknown browser");
        }

        var products = Product().Matches(userAgent).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        if (products.TryGetValue("Firefox", out var firefox) || products.TryGetValue("FxiOS", out firefox))
        {
            return ("firefox", $"Firefox {firefox}");
        }

        if (products.TryGetValue("Edg", out var edge))
        {
            return ("chromium", $"Edge {edge}");
        }

        if (products.TryGetValue("OPR", out var opera))
        {
            return ("chromium", $"Opera {opera}");
        }

        if (products.TryGetValue("Chrome", out var chrome) || products.TryGetValue("Chromium", out chrome) || products.TryGetValue("CriOS", out chrome))
        {
            return ("chromium", (userAgent.Contains("HeadlessChrome", StringComparison.Ordinal) ? "Headless Chrome " : "Chrome ") + chrome);
        }

        if (userAgent.Contains("Safari", StringComparison.Ordinal) && products.TryGetValue("Version", out var safari))
        {
            return ("safari", $"Safari {safari}");
        }

        return ("other", "an unknown browser");
    }
}
