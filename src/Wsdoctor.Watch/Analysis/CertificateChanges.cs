using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Watch.Engine;

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

        var evidence = changes.Take(8).Select(Describe).ToList();
        if (changes.Count > 8)
        {
            evidence.Add($"… {total - 8} more");
        }

        var alternating = changes.Count(c => c.Kind == CertificateChangeKind.Alternating);
        var renewed = changes.Count(c => c.Kind == CertificateChangeKind.Renewed);
        string message;
        if (alternating > 0)
        {
            message = $"the server's certificate flips between {changes.Select(c => c.Current).Append(changes[0].Previous).Distinct(StringComparer.Ordinal).Count()} certificates across reconnects";
            evidence.Add("a certificate seen before came back: the name leads to several servers (load-balanced backends, DNS round robin) that serve different certificates");
        }
        else if (renewed == changes.Count)
        {
            message = $"the server's certificate was renewed ({total} change(s))";
            evidence.Add("the new certificate expires later than the one before: a renewal picked up at a restart or reload");
        }
        else
        {
            message = $"the server's certificate was replaced by one that does not last longer ({total} change(s))";
            evidence.Add("the new certificate expires no later than the previous one: not a renewal; a rollback, another server behind the name, or a certificate for other names");
        }

        if (changes.Select(c => c.AfterDrop).Where(d => d is not null).Distinct(StringComparer.Ordinal).ToArray() is { Length: > 0 } drops)
        {
            evidence.Add($"each change came at the reconnect after a drop ({string.Join(", ", drops)}): the server was restarted or another one answered");
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

    public static string Describe(CertificateChange c) =>
        $"connection #{c.Connection}: {Kind(c.Kind)}, {c.Subject ?? "?"} sha256 {Short(c.Previous)} (expires {Date(c.PreviousNotAfter)}) -> {Short(c.Current)} (expires {Date(c.CurrentNotAfter)})"
        + (c.AfterDrop is { } drop ? $", after {drop}" : "");

    private static string Short(string thumbprint) => thumbprint.Length > 16 ? thumbprint[..16] + "…" : thumbprint;

    private static string Date(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "?";
}
