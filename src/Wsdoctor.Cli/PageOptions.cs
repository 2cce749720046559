using System.CommandLine;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Cli;

/// <summary>Where the page lives and which real browsers judge it: --page-origin, --page-url, --browser.</summary>
public sealed class PageOptions
{
    public Option<string?> PageOrigin { get; } = new("--page-origin") { Description = "Origin of the page that opens the WebSocket (https://app.example.com): turns on the browser rules, and is the Origin sent" };
    public Option<string?> PageUrl { get; } = new("--page-url") { Description = "The page itself: fetched for its Content-Security-Policy (headers and <meta>); its origin is the page origin" };
    public Option<string?> Browser { get; } = new("--browser")
    {
        Description = "Also open the WebSocket from a real headless browser at the page origin: chromium (default), firefox or all",
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
                throw new UsageException($"--page-origin: {error}");
            }

            options = options with { PageOrigin = origin };
        }

        if (result.GetValue(PageUrl) is { } urlText)
        {
            if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !Wsdoctor.Probes.Url.IdnHosts.HasIdnForm(url))
            {
                throw new UsageException($"--page-url must be an http:// or https:// URL (got '{urlText}')");
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
        return BrowserKinds.Parse(value) ?? throw new UsageException($"--browser takes chromium, firefox or all (got '{value}')");
    }
}
