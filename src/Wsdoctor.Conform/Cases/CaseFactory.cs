using Wsdoctor.Conform.Engine;

namespace Wsdoctor.Conform.Cases;

/// <summary>Shorthands that keep the case tables readable.</summary>
internal static class CaseFactory
{
    public static ConformCase Session(string id, string description, string expectation, string rule, Func<CaseRun, Task> script,
        Func<CaseResult, CaseResult>? adjust = null, int weight = 1) => new()
        {
            Id = id,
            Description = description,
            Expectation = expectation,
            Rule = rule,
            Script = script,
            Adjust = adjust,
            Weight = weight,
        };

    /// <summary>Expect exactly these observations, then close normally (the fuzzer closes).</summary>
    public static void ExpectEcho(this CaseRun run, params Observation[] observations)
    {
        run.Expected[Grades.Ok] = [.. observations];
        run.ExpectedClose = ExpectedClose.Normal;
    }

    /// <summary>Expect the peer to fail the connection with <paramref name="code"/> after <paramref name="before"/>.</summary>
    public static void ExpectFailure(this CaseRun run, int code, params Observation[] before)
    {
        run.Expected[Grades.Ok] = [.. before];
        if (before.Length > 0)
        {
            // Autobahn: a peer that fails the connection before echoing what came ahead of the bad frame is lenient.
            run.Expected[Grades.NonStrict] = [];
        }

        run.ExpectedClose = ExpectedClose.PeerFails(code);
    }

    /// <summary>Autobahn's rule for the close cases: a wrong close code fails the case itself.</summary>
    public static CaseResult WrongCodeFails(CaseResult result) =>
        result.BehaviorClose == Grades.WrongCode ? result with { Behavior = Grades.Failed, Result = result.ResultClose } : result;

    /// <summary>Cases whose outcome the RFC leaves open: reported, never failed.</summary>
    public static CaseResult Informational(CaseResult result) =>
        result with { Behavior = Grades.Informational, BehaviorClose = Grades.Informational };

    public static byte[] Bytes(params int[] values) => [.. values.Select(v => (byte)v)];

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
