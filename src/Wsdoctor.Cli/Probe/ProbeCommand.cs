using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Wsdoctor.Browsers.Probe;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;
using Wsdoctor.Reports;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Probe;

/// <summary><c>wsdoctor probe URL</c>: the user's own browser opens the WebSocket from a page wsdoctor serves; the
/// browser's result is set beside wsdoctor's diagnosis of the same URL, in the terminal and on the page.</summary>
public static class ProbeCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var listen = new Option<string>("--listen") { Description = H("Where the probe page is served (default 127.0.0.1:0, a free loopback port); another address must be given explicitly", "探测页面的监听地址（默认 127.0.0.1:0，即一个空闲的回环端口）；其他地址必须显式指定"), DefaultValueFactory = _ => "127.0.0.1:0" };
        var pageOrigin = new Option<string?>("--page-origin") { Description = H("The address your browser reaches the probe page at, when it is not the listen address (a tunnel, a reverse proxy): printed as the link", "浏览器访问探测页面用的地址，用于它与监听地址不同的情况（隧道、反向代理）：打印出的链接用的就是它") };
        var wait = new Option<string?>("--wait") { Description = H("How long to wait for a browser to open the page (default 10m)", "等待浏览器打开页面的时长（默认 10m）") };
        var json = new Option<bool>("--json") { Description = H("Print the combined report as JSON", "以 JSON 输出合并后的报告") };
        var noQr = new Option<bool>("--no-qr") { Description = H("Do not print a QR code of the link", "不打印链接的二维码") };
        var command = new Command("probe", H("Open the WebSocket from your own browser: serves a page, shows its result beside wsdoctor's diagnosis", "从你自己的浏览器打开 WebSocket：提供一个页面，把浏览器的结果和 wsdoctor 的诊断并排显示"));
        connection.AddTo(command);
        foreach (var option in new Option[] { listen, pageOrigin, wait, json, noQr })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var options = connection.Read(result);
            if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss"))
            {
                throw new UsageException(T($"probe needs a ws:// or wss:// URL (got '{options.Url}'); wsdoctor check explains what is wrong with it", $"probe 需要一个 ws:// 或 wss:// URL（收到的是“{options.Url}”）；wsdoctor check 会说明它哪里有问题"));
            }

            var endpoints = ServeArguments.ParseListen(result.GetValue(listen)!, "--listen").Select(e => new IPEndPoint(e.Address, e.Port)).ToArray();
            var waitFor = result.GetValue(wait) is { } w ? DurationText.Parse(w, "--wait") : TimeSpan.FromMinutes(10);
            Uri? link = null;
            if (result.GetValue(pageOrigin) is { } given)
            {
                if (!Probes.Browser.Rules.PageOrigin.TryParse(given, out var origin, out var error))
                {
                    throw new UsageException(T($"--page-origin: {error}", $"--page-origin：{error}"));
                }

                link = new Uri(origin!.Serialized + "/");
            }

            var probeOptions = new ProbeOptions
            {
                Listen = endpoints,
                Url = new Uri(Browsers.BrowserCheck.PageWebSocketUrl(options, url)),
                Protocols = UpgradeRequestSpec.OfferedSubprotocols(options),
                ObserveWindow = options.ObserveWindow,
                Timeout = options.StepTimeout,
                ShowSecrets = options.ShowSecrets,
            };
            var language = LanguageOption.Current;
            ProbeServer server;
            try
            {
                server = await ProbeServer.StartAsync(probeOptions, ct).ConfigureAwait(false);
            }
            catch (ProbeListenException e)
            {
                await Console.Error.WriteLineAsync(CliHost.Error(e.Text, language)).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await using (server.ConfigureAwait(false))
            {
                var links = Links(server, endpoints, link);
                PrintLinks(links, result.GetValue(noQr), language);
                ProbeResult reported;
                try
                {
                    reported = await server.Result.WaitAsync(waitFor, ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    var within = DurationText.Format(waitFor);
                    await Console.Error.WriteLineAsync("wsdoctor: " + T($"no browser opened {links[0]} within {within}", $"{within} 内没有浏览器打开 {links[0]}").In(language)).ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                var agent = reported.Page["userAgent"];
                await Console.Error.WriteLineAsync("probe: " + T($"result from {reported.Remote} ({agent}); running wsdoctor's diagnosis of the same URL", $"收到来自 {reported.Remote}（{agent}）的结果；正在用 wsdoctor 诊断同一个 URL").In(language)).ConfigureAwait(false);
                CheckReport report;
                try
                {
                    report = await ProbeDiagnosis.RunAsync(options, reported, ct).ConfigureAwait(false);
                }
                catch (CheckUsageException e)
                {
                    throw new UsageException(e.Text);
                }

                server.PublishReport(JsonReport.Render(report));
                if (result.GetValue(json))
                {
                    Console.Out.WriteLine(JsonReport.Render(report));
                }
                else
                {
                    TextReport.Render(report, Terminal.Stdout(), verbose: false, language);
                }

                // Give the page a moment to fetch the diagnosis it shows.
                try
                {
                    await server.ReportFetched.WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    await Console.Error.WriteLineAsync("probe: " + T("the page did not fetch the diagnosis (closed?)", "页面没有取走诊断结果（已关闭？）").In(language)).ConfigureAwait(false);
                }

                return report.Verdict == Verdict.Fail ? ExitCodes.Failure : ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>The link(s) to open: --page-origin when given; for a wildcard listen address, one per interface.</summary>
    private static IReadOnlyList<Uri> Links(ProbeServer server, IPEndPoint[] endpoints, Uri? given)
    {
        if (given is not null)
        {
            return [given];
        }

        var links = new List<Uri>();
        var wildcard = endpoints.Any(e => e.Address.Equals(IPAddress.Any) || e.Address.Equals(IPAddress.IPv6Any));
        foreach (var url in server.Urls)
        {
            if (wildcard)
            {
                // Listening everywhere: the addresses other devices (a phone) can reach come first.
                links.AddRange(InterfaceAddresses().Select(address => new UriBuilder(url) { Host = address.ToString() }.Uri));
            }

            links.Add(url);
        }

        return links.Distinct().ToArray();
    }

    private static IEnumerable<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork);

    private static void PrintLinks(IReadOnlyList<Uri> links, bool noQr, string language)
    {
        Console.Error.WriteLine("probe: " + T("open this page in the browser that fails (any browser, with its extensions, proxy and certificates):", "在出问题的浏览器中打开这个页面（任何浏览器都可以，保留它的扩展、代理和证书）：").In(language));
        foreach (var link in links)
        {
            Console.Error.WriteLine($"  {link}");
        }

        var text = links[0].ToString();
        if (!noQr && !Console.IsErrorRedirected && Console.WindowWidth >= QrText.Width(text) + 4)
        {
            foreach (var line in QrText.Render(text))
            {
                Console.Error.WriteLine("  " + line);
            }
        }

        Console.Error.WriteLine("probe: " + T("waiting for the page to report (Ctrl-C to stop)", "正在等待页面报告结果（按 Ctrl-C 停止）").In(language));
    }
}
