using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Watch.Engine;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Watch.Analysis;

/// <summary>tls.certificate-changed: a reconnect that brought another server certificate. One that lasts longer than
/// the last is a renewal (certbot renew and a reload, a restart that picked up a new file); one that expires no later
/// is a replacement that is not a renewal; one seen on an earlier connection means the name leads to several servers
/// with different certificates (load-balanced backends), which clients see as a certificate that flips.</summary>
public static class CertificateChanges
{
    /// <param name="seen">SHA-256 thumbprints presented on the earlier connections.</param>
    /// <param name="lastDrop">The drop before this reconnect, if any.</param>
    public static CertificateChange Classify(
        int connection, string previous, DateTimeOffset? previousNotAfter, string current, DateTimeOffset? currentNotAfter,
        string? subject, IReadOnlySet<string> seen, Drop? lastDrop)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var kind = seen.Contains(current) ? CertificateChangeKind.Alternating
            : currentNotAfter is { } next && previousNotAfter is { } before && next > before ? CertificateChangeKind.Renewed
            : CertificateChangeKind.Replaced;
        var afterDrop = lastDrop is { } d ? d.CloseCode is { } code ? $"{d.Code} {code}" : d.Code : null;
        return new CertificateChange(connection, kind, subject, previous, current, previousNotAfter, currentNotAfter, afterDrop);
    }

    /// <summary>The finding for the changes of a watch; null when the certificate never changed.</summary>
    public static Finding? Judge(IReadOnlyList<CertificateChange> changes, int total)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return null;
        }

        var evidence = changes.Take(8).Select(DescribeText).ToList();
        if (changes.Count > 8)
        {
            evidence.Add(T($"… {total - 8} more", $"… 另有 {total - 8} 次"));
        }

        var alternating = changes.Count(c => c.Kind == CertificateChangeKind.Alternating);
        var renewed = changes.Count(c => c.Kind == CertificateChangeKind.Renewed);
        Text message;
        if (alternating > 0)
        {
            var distinct = changes.Select(c => c.Current).Append(changes[0].Previous).Distinct(StringComparer.Ordinal).Count();
            message = T($"the server's certificate flips between {distinct} certificates across reconnects", $"每次重连后，服务端的证书在 {distinct} 个证书之间来回切换");
            evidence.Add(T("a certificate seen before came back: the name leads to several servers (load-balanced backends, DNS round robin) that serve different certificates",
                "之前出现过的证书又回来了：这个名称指向多台服务器（负载均衡后端、DNS 轮询），而它们提供的证书不同"));
        }
        else if (renewed == changes.Count)
        {
            message = T($"the server's certificate was renewed ({total} change(s))", $"服务端的证书已续期（变化 {total} 次）");
            evidence.Add(T("the new certificate expires later than the one before: a renewal picked up at a restart or reload",
                "新证书的过期时间晚于之前的证书：这是在重启或重新加载时生效的一次续期"));
        }
        else
        {
            message = T($"the server's certificate was replaced by one that does not last longer ({total} change(s))", $"服务端的证书被换成了一个有效期并不更长的证书（变化 {total} 次）");
            evidence.Add(T("the new certificate expires no later than the previous one: not a renewal; a rollback, another server behind the name, or a certificate for other names",
                "新证书的过期时间不晚于之前的证书：这不是续期；可能是回滚、这个名称背后的另一台服务器，或者是给其他名称签发的证书"));
        }

        if (changes.Select(c => c.AfterDrop).Where(d => d is not null).Distinct(StringComparer.Ordinal).ToArray() is { Length: > 0 } drops)
        {
            var after = string.Join(", ", drops);
            evidence.Add(T($"each change came at the reconnect after a drop ({after}): the server was restarted or another one answered",
                $"每次变化都发生在断开（{after}）之后的重连：服务端重启过，或者是另一台服务器做出了响应"));
        }

        return Finding.Create(Codes.TlsCertificateChanged, message, evidence, data: new Dictionary<string, object?>
        {
            ["changes"] = total,
            ["kinds"] = string.Join(",", changes.Select(c => Kind(c.Kind)).Distinct(StringComparer.Ordinal)),
            ["subject"] = changes[^1].Subject,
        });
    }

    public static string Kind(CertificateChangeKind kind) => kind switch
    {
        CertificateChangeKind.Renewed => "renewed",
        CertificateChangeKind.Alternating => "alternating",
        _ => "replaced",
    };

    public static string Describe(CertificateChange c) => DescribeText(c).En;

    /// <summary>One change, for the timeline and the evidence.</summary>
    public static Text DescribeText(CertificateChange c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var subject = c.Subject ?? "?";
        var (before, after) = ($"{Short(c.Previous)} (expires {Date(c.PreviousNotAfter)})", $"{Short(c.Current)} (expires {Date(c.CurrentNotAfter)})");
        var (beforeZh, afterZh) = ($"{Short(c.Previous)}（{Date(c.PreviousNotAfter)} 过期）", $"{Short(c.Current)}（{Date(c.CurrentNotAfter)} 过期）");
        var line = T($"connection #{c.Connection}: {Kind(c.Kind)}, {subject} sha256 {before} -> {after}",
            $"连接 #{c.Connection}：{KindText(c.Kind)}，{subject} sha256 {beforeZh} -> {afterZh}");
        return c.AfterDrop is { } drop ? line + T($", after {drop}", $"，发生在 {drop} 之后") : line;
    }

    /// <summary><see cref="Kind"/> in words.</summary>
    public static Text KindText(CertificateChangeKind kind) => kind switch
    {
        CertificateChangeKind.Renewed => T("renewed", "已续期"),
        CertificateChangeKind.Alternating => T("alternating", "来回切换"),
        _ => T("replaced", "被替换"),
    };

    private static string Short(string thumbprint) => thumbprint.Length > 16 ? thumbprint[..16] + "…" : thumbprint;

    private static string Date(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "?";
}
