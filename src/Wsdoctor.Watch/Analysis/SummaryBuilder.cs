using Wsdoctor.Findings;
using Wsdoctor.Load.Latency;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.ReverseProxies;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Analysis;

/// <summary>Collects what the summary needs while the watch runs. Called from the engine and the session's tasks.</summary>
internal sealed class SummaryBuilder(int maxRecorded)
{
    private readonly Lock gate = new();
    private readonly HdrHistogram.LongHistogram rtt = Histograms.Create();
    private readonly List<Drop> drops = [];
    private readonly List<double> reconnects = [];
    private readonly Dictionary<string, int> dropCauses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> openFailures = new(StringComparer.Ordinal);
    private TimeSpan connected;
    private int connections;
    private int dropCount;
    private readonly List<CertificateChange> certificateChanges = [];
    private int certificateChangeCount;
    private ProxyIdentity? intermediary;

    public int DropCount
    {
        get
        {
            lock (gate)
            {
                return dropCount;
            }
        }
    }

    public void Rtt(double ms)
    {
        lock (gate)
        {
            rtt.RecordValue(Histograms.Clamp((long)(ms * 1_000_000)));
        }
    }

    public void Opened(double? reconnectMs, ProxyIdentity? identity)
    {
        lock (gate)
        {
            connections++;
            intermediary = identity ?? intermediary;
            if (reconnectMs is { } ms && reconnects.Count < maxRecorded)
            {
                reconnects.Add(ms);
            }
        }
    }

    public void Up(TimeSpan span)
    {
        lock (gate)
        {
            connected += span;
        }
    }

    public void Dropped(Drop drop)
    {
        lock (gate)
        {
            dropCount++;
            var cause = drop.CloseCode is { } c ? $"{drop.Code} {c}" : drop.Code;
            dropCauses[cause] = dropCauses.GetValueOrDefault(cause) + 1;
            if (drops.Count < maxRecorded)
            {
                drops.Add(drop);
            }
        }
    }

    public void OpenFailed(string code, string? detail)
    {
        lock (gate)
        {
            var cause = detail is null ? code : $"{code} {detail}";
            openFailures[cause] = openFailures.GetValueOrDefault(cause) + 1;
        }
    }

    public void CertificateChanged(CertificateChange change)
    {
        lock (gate)
        {
            certificateChangeCount++;
            if (certificateChanges.Count < maxRecorded)
            {
                certificateChanges.Add(change);
            }
        }
    }

    public WatchSummary Build(DateTimeOffset startedAt, TimeSpan duration, Text reason, bool interrupted, WatchOptions options, CheckReport? diagnosis)
    {
        lock (gate)
        {
            var byCause = dropCauses.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToArray();
            var failures = openFailures.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToArray();
            var findings = DropPattern.Analyze(drops, failures, reconnects, intermediary, options, duration, connections).ToList();
            if (CertificateChanges.Judge(certificateChanges, certificateChangeCount) is { } changed)
            {
                findings.Add(changed);
            }

            return new WatchSummary
            {
                StartedAt = startedAt,
                Duration = duration,
                Connected = connected,
                EndReason = reason.En,
                EndReasonText = reason,
                Interrupted = interrupted,
                Connections = connections,
                DropCount = dropCount,
                Drops = [.. drops],
                DropsByCause = byCause,
                OpenFailures = failures,
                CertificateChanges = [.. certificateChanges],
                CertificateChangeCount = certificateChangeCount,
                Rtt = Spread.Of(LatencySummary.FromNanoseconds(rtt)),
                Reconnect = Spread.Of(reconnects),
                Findings = findings,
                Diagnosis = diagnosis,
                Intermediary = intermediary?.Display,
            };
        }
    }
}
