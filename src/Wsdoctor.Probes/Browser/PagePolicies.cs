using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AngleSharp.Html.Parser;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser.Csp;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser;

/// <summary>What fetching --page-url gave: the policies the browser would enforce on that page, or why it failed.</summary>
public sealed record PageFetch(
    Uri RequestedUrl,
    Uri? FinalUrl,
    int? Status,
    IReadOnlyList<ContentSecurityPolicy> Policies,
    IReadOnlyList<string> Redirects,
    Text? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>Loads a page the way the browser would before it runs the page's script: GET, following redirects, then
/// the Content-Security-Policy (and -Report-Only) headers of the final response and the
/// &lt;meta http-equiv="Content-Security-Policy"&gt; elements in its &lt;head&gt; (HTML, "http-equiv" content
/// security policy state: outside the head they are ignored).</summary>
public static class PagePolicies
{
    /// <summary>A page bigger than this is read only this far: a meta policy belongs in the head, at the top.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    public const int MaxRedirects = 5;

    public static async Task<PageFetch> FetchAsync(Uri pageUrl, CheckOptions options, TlsMaterial material, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var handler = Handler(pageUrl, options, material);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Http.UpgradeRequestSpec.UserAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var url = pageUrl;
        var redirects = new List<string>();
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(timeout);
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, step.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= MaxRedirects)
                    {
                        return new PageFetch(pageUrl, url, status, [], redirects, T($"more than {MaxRedirects} redirects", $"重定向超过 {MaxRedirects} 次"));
                    }

                    var next = new Uri(url, location);
                    redirects.Add($"{status} -> {next}");
                    url = next;
                    continue;
                }

                var policies = new List<ContentSecurityPolicy>();
                foreach (var (name, source) in new[] { ("Content-Security-Policy", PolicySource.Header), ("Content-Security-Policy-Report-Only", PolicySource.ReportOnlyHeader) })
                {
                    if (response.Headers.TryGetValues(name, out var values))
                    {
                        foreach (var value in values)
                        {
                            policies.AddRange(ContentSecurityPolicy.ParseList(value, source));
                        }
                    }
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType is null or "text/html" or "application/xhtml+xml")
                {
                    var html = await ReadBoundedAsync(response.Content, step.Token).ConfigureAwait(false);
                    policies.AddRange(MetaPolicies(html));
                }

                return new PageFetch(pageUrl, url, status, policies, redirects, null);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seconds = timeout.TotalSeconds;
            return new PageFetch(pageUrl, url, null, [], redirects, T($"no complete answer within {seconds:0.#} s", $"{seconds:0.#} s 内没有收到完整响应"));
        }
        catch (HttpRequestException ex)
        {
            return new PageFetch(pageUrl, url, null, [], redirects, Verbatim(Net.ExceptionText.Chain(ex)));
        }
    }

    /// <summary>The enforced policies of the &lt;meta http-equiv&gt; elements that are children of the head.</summary>
    public static IReadOnlyList<ContentSecurityPolicy> MetaPolicies(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        return document.Head?.Children
            .Where(e => e.LocalName == "meta"
                && string.Equals(e.GetAttribute("http-equiv")?.Trim(), "Content-Security-Policy", StringComparison.OrdinalIgnoreCase)
                && e.GetAttribute("content") is not null)
            .SelectMany(e => ContentSecurityPolicy.ParseList(e.GetAttribute("content")!, PolicySource.MetaTag))
            .ToArray() ?? [];
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static SocketsHttpHandler Handler(Uri pageUrl, CheckOptions options, TlsMaterial material)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = options.StepTimeout,
            UseProxy = !options.NoProxy,
            Proxy = options.Proxy is { } proxy ? new WebProxy(proxy) : null,
        };

        // --connect-to names the host:port of the WebSocket URL; a page on that same host:port goes there too.
        var redirectTo = options.ConnectTo is { } connectTo && Dns.ConnectTarget.TryParse(connectTo, out var target)
            && Uri.TryCreate(options.Url, UriKind.Absolute, out var ws)
            && ws.IdnHost.Equals(pageUrl.IdnHost, StringComparison.OrdinalIgnoreCase) && ws.Port == pageUrl.Port
                ? target
                : null;
        handler.ConnectCallback = async (context, ct) =>
        {
            var (host, port) = redirectTo is not null && context.DnsEndPoint.Host.Equals(pageUrl.IdnHost, StringComparison.OrdinalIgnoreCase) && context.DnsEndPoint.Port == pageUrl.Port
                ? (redirectTo.Host, redirectTo.Port)
                : (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
            // RFC 6761 6.3: *.localhost is loopback, as browsers resolve it, whatever the system resolver says.
            if (PageAddressSpace.IsLocalhostName(host))
            {
                host = "127.0.0.1";
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(host, port, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (options.Insecure || errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (material.CustomRoots is not { } roots || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            }

            return custom.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        return handler;
    }
}
