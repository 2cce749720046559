using System.Globalization;
using System.Text.Json.Nodes;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Protocol.Secrets;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Browsers.Verdict;

/// <summary>Turns what a driver collected into the browser's verdict: opened, blocked before sending, failed, or
/// timed out, with the browser's own error text.</summary>
public static class ObservationBuilder
{
    /// <summary>Errors that mean the browser refused by itself, before anything went on the wire.</summary>
    private static readonly string[] BlockMarkers =
    [
        "ERR_UNSAFE_PORT", "ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS", "Mixed Content", "Content Security Policy",
        "ERR_BLOCKED_BY_CLIENT", "ERR_BLOCKED_BY_CSP", "insecure WebSocket", "SecurityError",
        "port is not allowed", "was blocked", "because it violates", "has been blocked",
        // Firefox: a CSP block and mixed content are exceptions from the constructor.
        "NS_ERROR_CONTENT_BLOCKED", "Content-Security-Policy", "The operation is insecure",
    ];

    public static BrowserObservation Build(BrowserRun run, BrowserRequest request)
    {
        var url = request.ShowSecrets ? request.Url.ToString() : SecretRedactor.RedactUrl(request.Url.ToString());
        var console = run.Log.Select(l => request.ShowSecrets ? l : RedactLine(l)).ToArray();
        var observation = new BrowserObservation
        {
            Browser = run.Browser,
            Version = run.Version,
            PageOrigin = (string?)run.Page?["origin"] ?? request.PageOrigin.Serialized,
            Url = url,
            Outcome = BrowserOutcome.NotRun,
            Console = console,
            RequestHeaders = Redact(run.RequestHeaders, request.ShowSecrets),
            ResponseStatus = run.ResponseStatus,
            ResponseHeaders = Redact(run.ResponseHeaders, request.ShowSecrets),
        };

        if (run.Page is not { } page)
        {
            return run.DriverFailure is { } failure
                ? observation with { Error = failure }
                : observation with { Error = "the page returned nothing", ErrorText = T("the page returned nothing", "页面没有返回任何结果") };
        }

        var events = (page["events"] as JsonArray ?? []).OfType<JsonObject>().ToArray();
        var open = events.FirstOrDefault(e => (string?)e["type"] == "open");
        var close = events.FirstOrDefault(e => (string?)e["type"] == "close");
        var error = BrowserError(run, page);
        observation = observation with
        {
            CloseCode = (int?)close?["code"],
            CloseReason = close is null ? null : (string?)close["reason"],
            WasClean = (bool?)close?["wasClean"],
            Subprotocol = open is null ? null : (string?)open["protocol"],
            Error = error is null ? null : request.ShowSecrets ? error : RedactLine(error),
        };

        if (open is not null)
        {
            return observation with { Outcome = BrowserOutcome.Opened, ElapsedMs = (double?)open["t"] };
        }

        if (page["exception"] is not null)
        {
            return observation with { Outcome = BrowserOutcome.Blocked, ElapsedMs = 0 };
        }

        if (close is null && (bool?)page["timedOut"] == true)
        {
            var seconds = request.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            var readyState = page["readyState"]?.ToString();
            var timedOut = T($"neither open nor close within {seconds} s (readyState {readyState})", $"{seconds} s 内既没有触发 open，也没有触发 close（readyState {readyState}）");
            return observation with
            {
                Outcome = BrowserOutcome.TimedOut,
                ElapsedMs = request.Timeout.TotalMilliseconds,
                Error = error ?? timedOut.En,
                ErrorText = error is null ? timedOut : null,
            };
        }

        var blocked = error is not null && BlockMarkers.Any(m => error.Contains(m, StringComparison.OrdinalIgnoreCase));
        return observation with { Outcome = blocked ? BrowserOutcome.Blocked : BrowserOutcome.Failed, ElapsedMs = (double?)close?["t"] };
    }

    /// <summary>The browser's own words: the network error, else the log line about this WebSocket, else the
    /// constructor's exception.</summary>
    private static string? BrowserError(BrowserRun run, JsonObject page)
    {
        string? exception = page["exception"] is JsonObject e ? $"{e["name"]}: {ExceptionMessage((string?)e["message"])}" : null;
        var security = run.Log.FirstOrDefault(l => l.Contains("Mixed Content", StringComparison.Ordinal) || l.Contains("Content Security Policy", StringComparison.Ordinal)
            || l.Contains("Content-Security-Policy", StringComparison.Ordinal) || l.Contains("violates the following", StringComparison.Ordinal));
        if (exception is not null)
        {
            // Chromium's exception says it all (the Mixed Content line is in the console evidence); Firefox's
            // NS_ERROR_CONTENT_BLOCKED says nothing, and its console line names the directive.
            return exception.StartsWith("NS_ERROR", StringComparison.Ordinal) && security is not null ? Strip(security) : exception;
        }

        if (run.NetworkErrors.FirstOrDefault(n => n.Length > 0) is { } network)
        {
            return network;
        }

        if (security is not null)
        {
            return Strip(security);
        }

        // Firefox's fetchError can trail the page's close event; the refused status itself is already known.
        if (run.ResponseStatus is { } status and not 101)
        {
            return $"Unexpected response code: {status}";
        }

        return run.Log.Where(l => l.Contains("WebSocket", StringComparison.OrdinalIgnoreCase) || l.Contains("wss://", StringComparison.Ordinal) || l.Contains("ws://", StringComparison.Ordinal))
            .Select(Strip)
            .FirstOrDefault();
    }

    /// <summary>Firefox's XPCOM exceptions read '[Exception... "The load for this content was blocked."  nsresult: …]':
    /// keep the quoted sentence.</summary>
    private static string ExceptionMessage(string? message)
    {
        if (message is null)
        {
            return "";
        }

        var match = System.Text.RegularExpressions.Regex.Match(message, "^\\[Exception\\.\\.\\. \"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : message;
    }

    /// <summary>Drops the "source level: " prefix the drivers put on log lines.</summary>
    private static string Strip(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && colon < 40 && !line[..colon].Contains('\'', StringComparison.Ordinal) ? line[(colon + 2)..] : line;
    }

    private static string RedactLine(string line)
    {
        // URLs inside console lines may carry ?token=…; redact every ws/wss/http(s) URL in the text.
        var words = line.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var start = word.IndexOfAny(['w', 'h']);
            if (start >= 0 && (word.AsSpan(start).StartsWith("ws://") || word.AsSpan(start).StartsWith("wss://") || word.AsSpan(start).StartsWith("http://") || word.AsSpan(start).StartsWith("https://")))
            {
                var end = word.IndexOfAny(['\'', '"', ')'], start);
                var url = end < 0 ? word[start..] : word[start..end];
                words[i] = word[..start] + SecretRedactor.RedactUrl(url) + (end < 0 ? "" : word[end..]);
            }
        }

        return string.Join(' ', words);
    }

    private static Dictionary<string, string>? Redact(Dictionary<string, string>? headers, bool showSecrets) =>
        headers?.ToDictionary(kv => kv.Key, kv => showSecrets ? kv.Value : SecretRedactor.RedactHeaderValue(kv.Key, kv.Value), StringComparer.OrdinalIgnoreCase);
}
