using System.Text.RegularExpressions;

namespace Wsdoctor.Lint.Nginx;

/// <summary>Which location nginx picks for a request path (ngx_http_core_find_location,
/// https://nginx.org/en/docs/http/ngx_http_core_module.html#location): an exact match wins; otherwise the longest
/// prefix is remembered; a trailing-slash location that would take the path with a slash added answers 301 before
/// any regex is tried (auto_redirect, unless a location for the bare path exists); <c>^~</c> stops the search; the
/// remembered prefix's nested locations come next, then regexes in file order, then the remembered prefix.</summary>
public static class LocationMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>The location chosen for <paramref name="path"/>, or the location that would redirect it.</summary>
    public static (NginxLocation? Chosen, NginxLocation? Redirects) Select(IReadOnlyList<NginxLocation> locations, string path)
    {
        var candidates = locations.Where(l => !l.IsNamed).ToArray();
        if (candidates.FirstOrDefault(l => l.IsExact && l.Pattern == path) is { } exact)
        {
            return (exact, null);
        }

        var longest = candidates
            .Where(l => l.Modifier is "" or "^~" && path.StartsWith(l.Pattern, StringComparison.Ordinal))
            .MaxBy(l => l.Pattern.Length);
        var redirect = candidates.FirstOrDefault(l => l.AutoRedirects && l.Pattern == path + "/");
        if (redirect is not null && !candidates.Any(l => l.IsStatic && l.Pattern == path))
        {
            return (null, redirect);
        }

        if (longest is { Modifier: "^~" })
        {
            return (longest, null);
        }

        if (longest is { Nested.Count: > 0 } && Select(longest.Nested, path) is { } nested && (nested.Chosen ?? nested.Redirects) is not null)
        {
            return nested;
        }

        foreach (var regex in candidates.Where(l => l.IsRegex))
        {
            if (RegexMatches(regex, path))
            {
                return (regex, null);
            }
        }

        return (longest, null);
    }

    private static bool RegexMatches(NginxLocation location, string path)
    {
        try
        {
            var options = location.Modifier == "~*" ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant;
            return Regex.IsMatch(path, location.Pattern, options, RegexTimeout);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            // A PCRE construct .NET does not know, or a pathological pattern: the location is not judged as a match.
            return false;
        }
    }
}
