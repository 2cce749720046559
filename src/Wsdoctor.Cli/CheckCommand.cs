using System.CommandLine;
using Wsdoctor.Browsers;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor check URL</c>.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (docs/json-schema.md)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print the raw request and response heads (secrets redacted)" };
        var send = new Option<string?>("--send") { Description = "Text message to send once open" };
        var expect = new Option<string?>("--expect") { Description = "Regular expression a reply must match (with --send)" };
        var observe = new Option<string?>("--observe") { Description = "How long to listen for unsolicited server frames (default 300ms)" };
        var noProbes = new Option<bool>("--no-probes") { Description = "Do not open extra connections to probe Origin variants, TLS versions or paths" };
        var page = new PageOptions();
        var idle = new Option<string?>("--idle") { Description = "After the upgrade, stay silent this long (e.g. 90s, 6m) and report when and how the connection ends" };
        var idleKeepalive = new Option<string?>("--idle-keepalive") { Description = "With --idle: ping at this interval during the wait, to tell an idle timeout from a lifetime limit" };
        var maxSizeProbe = new Option<bool>("--max-size-probe") { Description = "Find the largest message the server accepts (fresh connection per try)" };
        var maxSizeLimit = new Option<string?>("--max-size-limit") { Description = "Largest message --max-size-probe sends (default 64m)" };
        var command = new Command("check", "Diagnose a WebSocket URL layer by layer: root cause, evidence and fix");
        connection.AddTo(command);
        page.AddTo(command);
        foreach (var option in new Option[] { send, expect, observe, noProbes, idle, idleKeepalive, maxSizeProbe, maxSizeLimit, json, verbose })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var options = connection.Read(result) with
            {
                Send = result.GetValue(send),
                Expect = result.GetValue(expect),
                NoFollowUpProbes = result.GetValue(noProbes),
            };
            if (result.GetValue(observe) is { } o)
            {
                options = options with { ObserveWindow = DurationText.Parse(o, "--observe") };
            }

            if (options.Expect is not null && options.Send is null)
            {
                throw new UsageException("--expect needs --send");
            }

            if (result.GetValue(idle) is { } i)
            {
                options = options with { Idle = DurationText.Parse(i, "--idle", maxSeconds: 24 * 3600) };
            }

            if (result.GetValue(idleKeepalive) is { } k)
            {
                if (options.Idle is not { } wait)
                {
                    throw new UsageException("--idle-keepalive needs --idle");
                }

                var interval = DurationText.Parse(k, "--idle-keepalive");
                if (interval >= wait)
                {
                    throw new UsageException("--idle-keepalive must be shorter than --idle");
                }

                options = options with { IdleKeepalive = interval };
            }

            options = options with { MaxSizeProbe = result.GetValue(maxSizeProbe) };
            if (result.GetValue(maxSizeLimit) is { } limit)
            {
                if (!options.MaxSizeProbe)
                {
                    throw new UsageException("--max-size-limit needs --max-size-probe");
                }

                options = options with { MaxSizeLimit = ServeArguments.ParseSize(limit, "--max-size-limit") };
            }

            options = page.Read(result, options);
            var browsers = page.Browsers(result);
            CheckReport report;
            try
            {
                report = browsers is null
                    ? await CheckRunner.RunAsync(options, ct).ConfigureAwait(false)
                    : await BrowserCheck.RunAsync(options, browsers, ct).ConfigureAwait(false);
            }
            catch (Probes.CheckUsageException ex)
            {
                throw new UsageException(ex.Message);
            }
            catch (BrowserMissingException ex)
            {
                throw new UsageException(ex.Message);
            }

            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonReport.Render(report));
            }
            else
            {
                TextReport.Render(report, Terminal.Stdout(), result.GetValue(verbose));
            }

            return report.Verdict == Verdict.Fail ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
