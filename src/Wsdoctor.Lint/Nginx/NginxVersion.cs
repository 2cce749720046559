using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx;

/// <summary>The nginx version the rules judge against, and where it came from.</summary>
public sealed partial record NginxVersion(Version Version, string Source)
{
    /// <summary>Since nginx 1.29.7 <c>proxy_http_version</c> defaults to 1.1 (CHANGES, 1.29.7); before, to 1.0, on
    /// which nginx cannot tunnel an upgrade.</summary>
    public static readonly Version HttpVersionDefaultIs11 = new(1, 29, 7);

    /// <summary>Without a version the lint assumes the oldest behaviour (proxy_http_version defaults to 1.0), so that
    /// a configuration it passes works on every nginx.</summary>
    public static NginxVersion Oldest { get; } = new(new Version(0, 0, 0), "assumed (nginx not found; --nginx-version sets it)");

    public bool DefaultsToHttp11 => Version >= HttpVersionDefaultIs11;

    public string Display => Version == Oldest.Version ? "oldest" : Version.ToString(3);

    /// <summary>"nginx 1.22.1", or the oldest behaviour, as the messages name it.</summary>
    public Text Named => NamedAfter(Display);

    /// <summary>Where the version came from, in the output language.</summary>
    public Text SourceText => SourceTextOf(Source);

    /// <summary><see cref="Named"/> of a <see cref="Display"/> read back (from a report's assumptions).</summary>
    public static Text NamedAfter(string display) =>
        display == "oldest" ? T("nginx oldest", "最旧版本的 nginx") : Verbatim($"nginx {display}");

    /// <summary><see cref="SourceText"/> of a <see cref="Source"/> read back (from a report's assumptions).</summary>
    public static Text SourceTextOf(string source) =>
        source == Oldest.Source ? T(source, "假定值：没有找到 nginx，可用 --nginx-version 指定") : Verbatim(source);

    /// <summary>X.Y.Z as given to --nginx-version.</summary>
    public static NginxVersion? Parse(string text, string source)
    {
        var match = Triple().Match(text.Trim());
        return match.Success && Version.TryParse(match.Value, out var v) && match.Length == text.Trim().Length
            ? new NginxVersion(new Version(v.Major, v.Minor, Math.Max(0, v.Build)), source)
            : null;
    }

    /// <summary>The version in <c>nginx -v</c>'s output (<c>nginx version: nginx/1.22.1</c>, also
    /// <c>openresty/1.21.4.1</c> builds print nginx/...).</summary>
    public static NginxVersion? FromNginxV(string output)
    {
        var match = Banner().Match(output);
        return match.Success ? Parse(match.Groups[1].Value, "nginx -v") : null;
    }

    [GeneratedRegex(@"^\d+\.\d+(\.\d+)?$")]
    private static partial Regex Triple();

    [GeneratedRegex(@"nginx/(\d+\.\d+\.\d+)")]
    private static partial Regex Banner();
}
