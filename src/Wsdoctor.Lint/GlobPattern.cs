namespace Wsdoctor.Lint;

/// <summary>glob(3) matching of one path segment, as nginx's <c>include</c> uses it (glob with no flags): <c>*</c>
/// and <c>?</c> never match a leading dot, <c>[abc]</c>, <c>[a-z]</c> and <c>[!a]</c> classes, and a backslash
/// escapes the next character.</summary>
public static class GlobPattern
{
    /// <summary>nginx treats an include as a glob only when it contains one of these (ngx_conf_include).</summary>
    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;

    public static string Unescape(string segment) => segment.Replace("\\", "", StringComparison.Ordinal);

    public static bool IsMatch(string pattern, string name)
    {
        // A leading dot must be matched by a dot in the pattern (POSIX: hidden files are not matched by wildcards).
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        return Match(pattern, 0, name, 0, depth: 0);
    }

    /// <summary>Matches every segment of an absolute pattern against an absolute path (same number of segments).</summary>
    public static bool IsPathMatch(string pattern, string path)
    {
        var p = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var s = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (p.Length != s.Length)
        {
            return false;
        }

        for (var i = 0; i < p.Length; i++)
        {
            if (HasWildcards(p[i]) ? !IsMatch(p[i], s[i]) : !string.Equals(Unescape(p[i]), s[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Match(string pattern, int p, string name, int n, int depth)
    {
        // Each '*' recurses once per position; patterns are a file name long, the bound keeps a hostile one cheap.
        if (depth > 64)
        {
            return false;
        }

        while (p < pattern.Length)
        {
            var c = pattern[p];
            switch (c)
            {
                case '*':
                    while (p < pattern.Length && pattern[p] == '*')
                    {
                        p++;
                    }

                    if (p == pattern.Length)
                    {
                        return true;
                    }

                    for (var i = n; i <= name.Length; i++)
                    {
                        if (Match(pattern, p, name, i, depth + 1))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (n >= name.Length)
                    {
                        return false;
                    }

                    p++;
                    n++;
                    break;
                case '[':
                    if (n >= name.Length || ClassEnd(pattern, p) is not { } end)
                    {
                        // An unclosed '[' is an ordinary character.
                        goto default;
                    }

                    if (!ClassMatches(pattern.AsSpan(p + 1, end - p - 1), name[n]))
                    {
                        return false;
                    }

                    p = end + 1;
                    n++;
                    break;
                case '\\' when p + 1 < pattern.Length:
                    p++;
                    goto default;
                default:
                    if (n >= name.Length || pattern[p] != name[n])
                    {
                        return false;
                    }

                    p++;
                    n++;
                    break;
            }
        }

        return n == name.Length;
    }

    private static int? ClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] is '!' or '^')
        {
            i++;
        }

        // A ']' right after the opening bracket is a member, not the end.
        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        var close = pattern.IndexOf(']', i);
        return close < 0 ? null : close;
    }

    private static bool ClassMatches(ReadOnlySpan<char> members, char c)
    {
        var negate = members.Length > 0 && members[0] is '!' or '^';
        if (negate)
        {
            members = members[1..];
        }

        var found = false;
        for (var i = 0; i < members.Length; i++)
        {
            if (i + 2 < members.Length && members[i + 1] == '-')
            {
                found |= c >= members[i] && c <= members[i + 2];
                i += 2;
            }
            else
            {
                found |= members[i] == c;
            }
        }

        return found != negate;
    }
}
