using System.Diagnostics;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Reconnect;
using Wsdoctor.Load.Errors;
using Wsdoctor.Findings;
using Wsdoctor.Watch.Analysis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Watch.Engine;

/// <summary>The life of <c>wsdoctor watch</c>: open, hold the connection (pings, application messages), classify how
/// it ends, reconnect with backoff, until --for elapses, --max-drops is reached or the token fires; then the
/// summary. Every wait is bounded by the watch's end; every attempt by --timeout and --deadline.</summary>
public sealed class WatchEngine
{
    private readonly WatchOptions options;
    private readonly Action<WatchEvent> sink;
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset startedAt = DateTimeOffset.UtcNow;
    private readonly SummaryBuilder summary;

    private WatchEngine(WatchOptions options, Action<WatchEvent> sink)
    {
        this.options = options;
        this.sink = sink;
        summary = new SummaryBuilder(options.MaxRecorded);
    }

    private TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    /// <summary>Runs the watch. <paramref name="sink"/> sees every event, from this task and the session's tasks
    /// (it must be thread-safe). Cancelling <paramref name="ct"/> ends the watch with a summary, not an exception.</summary>
    /// <exception cref="Probes.CheckUsageException">An unreadable --ca/--cert/--key, a malformed proxy.</exception>
    public static async Task<WatchSummary> RunAsync(WatchOptions options, Action<WatchEvent> sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var engine = new WatchEngine(options, sink);
        return await engine.RunAsync(ct).ConfigureAwait(false);
    }

    private async Task<WatchSummary> RunAsync(CancellationToken ct)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Duration is { } duration)
        {
            end.CancelAfter(duration);
        }

        var material = options.Open.Material ?? Probes.Tls.TlsMaterial.Load(options.Open.Check);
        var open = options.Open with { Material = material };
        var backoff = new BackoffPolicy(int.MaxValue, options.ReconnectBaseDelay, options.ReconnectMaxDelay, options.Random);
        var connection = 0;
        long? droppedAt = null;
        string? thumbprint = null;
        DateTimeOffset? notAfter = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Drop? lastDrop = null;
        Text? reason = null;
        var attempt = 0;
        OpenFailure? lastFailure = null;
        while (!end.IsCancellationRequested)
        {
            attempt++;
            var result = await OpenAsync(open, end.Token).ConfigureAwait(false);
            if (end.IsCancellationRequested)
            {
                if (result.Connection is { } late)
                {
                    await late.DisposeAsync().ConfigureAwait(false);
                }

                break;
            }

            if (result.Connection is not { } opened)
            {
                lastFailure = result.Failure!;
                var error = ErrorClassifier.FromOpenFailure(lastFailure);
                var delay = backoff.DelayBefore(Math.Min(attempt, 30))!.Value;
                summary.OpenFailed(error.Code, error.Detail);
                Emit((now, elapsed) => new OpenFailedEvent(now, elapsed, attempt, error.Code, error.Detail, lastFailure.Message, delay));
                await DelayAsync(delay, end.Token).ConfigureAwait(false);
                continue;
            }

            lastFailure = null;
            attempt = 0;
            connection++;
            var reconnectMs = droppedAt is { } d ? Stopwatch.GetElapsedTime(d).TotalMilliseconds : (double?)null;
            var facts = opened.Facts;
            var change = thumbprint is not null && facts.CertificateThumbprint is { } current && current != thumbprint
                ? CertificateChanges.Classify(connection, thumbprint, notAfter, current, facts.CertificateNotAfter, facts.CertificateSubject, seen, lastDrop)
                : null;

            if (facts.CertificateThumbprint is { } presented && seen.Count < options.MaxRecorded)
            {
                seen.Add(presented);
            }

            (thumbprint, notAfter) = (facts.CertificateThumbprint ?? thumbprint, facts.CertificateNotAfter ?? notAfter);
            summary.Opened(reconnectMs, facts.Intermediary);
            var number = connection;
            Emit((now, elapsed) => new OpenedEvent(now, elapsed, number, facts.TotalMs, facts.RemoteEndPoint, facts.TlsVersion, reconnectMs, facts.Intermediary?.Display));
            if (change is not null)
            {
                summary.CertificateChanged(change);
                Emit((now, elapsed) => new CertificateChangedEvent(now, elapsed, change));
            }

            var upSince = Stopwatch.GetTimestamp();
            var drop = await new WatchedConnection(opened, number, options, Emit, summary).RunAsync(end.Token).ConfigureAwait(false);
            summary.Up(Stopwatch.GetElapsedTime(upSince));
            if (drop is null)
            {
                break;
            }

            droppedAt = Stopwatch.GetTimestamp();
            lastDrop = drop;
            summary.Dropped(drop);
            Emit((now, elapsed) => new DropEvent(now, elapsed, drop));
            if (options.MaxDrops is { } max && summary.DropCount >= max)
            {
                reason = T($"--max-drops {max} reached", $"已达到 --max-drops {max}");
                break;
            }

            // The first reconnect waits too (full jitter up to the base delay), so a crowd of watchers does not return at once.
            attempt = 1;
            await DelayAsync(backoff.DelayBefore(1)!.Value, end.Token).ConfigureAwait(false);
            attempt = 0;
        }

        reason ??= ct.IsCancellationRequested ? T("interrupted", "已中断")
            : options.Duration is { } f ? T($"--for {Protocol.Text.Durations.Format(f)} elapsed", $"--for {Protocol.Text.Durations.Format(f)} 已到")
            : T("ended", "已结束");

        Emit((now, elapsed) => new EndedEvent(now, elapsed, reason));
        Probes.Diagnosis.CheckReport? diagnosis = null;
        if (lastFailure is not null && options.Diagnose is { } diagnose)
        {
            // Bounded by check's own --deadline; a second Ctrl-C still stops it.
            try
            {
                diagnosis = await diagnose(options.Open.Check with { NoFollowUpProbes = false }, ct.IsCancellationRequested ? CancellationToken.None : ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                diagnosis = null;
            }
        }

        return summary.Build(startedAt, Elapsed, reason, ct.IsCancellationRequested, options, diagnosis);
    }

    private void Emit(Func<DateTimeOffset, TimeSpan, WatchEvent> make) => sink(make(DateTimeOffset.UtcNow, Elapsed));

    private static async Task<OpenResult> OpenAsync(OpenOptions open, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(open.Check.Deadline);
        try
        {
            return await Opener.OpenAsync(open, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return OpenResult.PastDeadline(open.Check.Deadline);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The watch is over; the loop sees it.
        }
    }
}
