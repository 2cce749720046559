using System.Diagnostics;
using Wsdoctor.Conform.Cases;

namespace Wsdoctor.Conform.Engine;

/// <summary>Runs a session case on an opened connection in either role: script, then the connection's end
/// (bounded), then the grade. Shared by the server suite and the fuzzing-server harness.</summary>
public static class CaseExecution
{
    public static async Task<CaseResult> RunAsync(ConformCase conformCase, OpenedConnection connection, FuzzerRole role, string agent, Stopwatch clock, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(conformCase.Budget);
        var run = new CaseRun(connection, role, budget.Token);
        await using (run.ConfigureAwait(false))
        {
            run.Log.Add("--", $"connection open{(connection.Deflate is { } d ? $"; permessage-deflate: {d}" : "")}");
            run.Start();
            string? cutShort = null;
            try
            {
                await conformCase.Script!(run).ConfigureAwait(false);

                // A script that returned early (the peer closed during a pause) still waits for the connection's end.
                await Task.WhenAny(FinishedAsync(run), Task.Delay(CaseRun.CloseTimeout, budget.Token)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                cutShort = $"The case did not finish within its {conformCase.Budget.TotalSeconds:0} s budget.";
                run.Log.Add("--", cutShort);
            }

            await run.FinishAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var result = run.Grade(conformCase.Id, agent, clock.ElapsedMilliseconds, connection);
            if (cutShort is not null && result.Behavior == Grades.Ok)
            {
                result = result with { Behavior = Grades.Failed, Result = cutShort };
            }

            return conformCase.Adjust is { } adjust ? adjust(result) : result;
        }
    }

    /// <summary>A case whose connection never opened: the opening handshake failed.</summary>
    public static CaseResult HandshakeFailed(ConformCase conformCase, string agent, long durationMs, string problem, string? request, string? response) => new()
    {
        Id = conformCase.Id,
        Agent = agent,
        Behavior = Grades.Failed,
        BehaviorClose = Grades.Failed,
        Result = $"The WebSocket opening handshake failed: {problem}",
        ResultClose = "The WebSocket opening handshake was never completed.",
        DurationMs = durationMs,
        HttpRequest = request,
        HttpResponse = response,
    };

    private static async Task FinishedAsync(CaseRun run)
    {
        // Bounded by the caller's delay; polls the finished flag the pump sets.
        while (!run.IsFinished)
        {
            await Task.Delay(5, run.Token).ConfigureAwait(false);
        }
    }
}
