using System.CommandLine;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Browser.Rules;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary>Where the page lives and which real browsers judge it: --page-origin, --page-url, --browser.</summary>
public sealed class PageOptions
{
    public Option<string?> PageOrigin { get; } = new("--page-origin") { Description = H("Origin of the page that opens the WebSocket (https://app.example.com): turns on the browser rules, and is the Origin sent", "打开 WebSocket 的页面所在的源（https://app.example.com）：启用浏览器规则，并作为发送的 Origin") };
    public Option<string?> PageUrl { get; } = new("--page-url") { Description = H("The page itself: fetched for its Content-Security-Policy (headers and <meta>); its origin is the page origin", "页面本身：会抓取它的 Content-Security-Policy（响应头和 <meta>）；它的源就是页面源") };
    public Option<string?> Browser { get; } = new("--browser")
    {
        Description = H("Also open the WebSocket from a real headless browser at the page origin: chromium (default), firefox or all", "同时在页面源下用真实的无头浏览器打开 WebSocket：chromium（默认）、firefox 或 all"),
        Arity = ArgumentArity.ZeroOrOne,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(PageOrigin);
        command.Options.Add(PageUrl);
        command.Options.Add(Browser);
    }

    public CheckOptions Read(ParseResult result, CheckOptions options)
    {
        if (result.GetValue(PageOrigin) is { } originText)
        {
            if (!Probes.Browser.Rules.PageOrigin.TryParse(originText, out var origin, out var error))
            {
                throw new UsageException(T($"--page-origin: {error}", $"--page-origin：{error}"));
            }

            options = options with { PageOrigin = origin };
        }

        if (result.GetValue(PageUrl) is { } urlText)
        {
            if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !Wsdoctor.Probes.Url.IdnHosts.HasIdnForm(url))
            {
                throw new UsageException(T($"--page-url must be an http:// or https:// URL (got '{urlText}')", $"--page-url 必须是 http:// 或 https:// URL（收到的是“{urlText}”）"));
            }

            options = options with { PageUrl = url };
        }

        return options;
    }

    /// <summary>The browsers --browser asks for; null when it is absent.</summary>
    public IReadOnlyList<BrowserKind>? Browsers(ParseResult result)
    {
        if (result.GetResult(Browser) is null)
        {
            return null;
        }

        var value = result.GetValue(Browser) ?? "chromium";
        return BrowserKinds.Parse(value) ?? throw new UsageException(T($"--browser takes chromium, firefox or all (got '{value}')", $"--browser 只能是 chromium、firefox 或 all（收到的是“{value}”）"));
    }
}
