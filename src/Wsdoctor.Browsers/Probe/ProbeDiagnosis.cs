using Wsdoctor.Browsers.Verdict;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Browser.Rules;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Browsers.Probe;

/// <summary>Turns what the user's browser reported into a verdict, and sets it beside wsdoctor's own diagnosis of
/// the same URL from the same page origin, exactly as <c>check --browser</c> does.</summary>
public static class ProbeDiagnosis
{
    public static async Task<CheckReport> RunAsync(CheckOptions options, ProbeResult result, CancellationToken cancellationToken)
    {
        var (family, name) = UserAgents.Describe((string?)result.Page["userAgent"]);
        var origin = (string?)result.Page["origin"];
        if (origin is not null && PageOrigin.TryParse(origin, out var page, out _))
        {
            options = options with { PageOrigin = page, Origin = null };
        }

        var report = await CheckRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);
        var run = new BrowserRun { Browser = family, Version = name, Page = result.Page };
        var request = new BrowserRequest
        {
            Url = new Uri(options.Url),
            PageOrigin = options.PageOrigin ?? new PageOrigin("http", "127.0.0.1", 80),
            PageUrl = new Uri(origin ?? "http://127.0.0.1/"),
            ShowSecrets = options.ShowSecrets,
            Timeout = options.StepTimeout,
        };
        var observation = BrowserComparison.Compare(ObservationBuilder.Build(run, request) with { UsersBrowser = true }, report, options);
        return ReportMerge.Merge(report, [observation]);
    }
}
