using System.Net.WebSockets;
using Wsdoctor.Browsers.Protocol;

namespace Wsdoctor.Browsers.Launch;

/// <summary>How a browser that started but did not answer its first commands is described in its verdict.</summary>
public static class BrowserStartup
{
    public static string Describe(Exception e) => e switch
    {
        TimeoutException or OperationCanceledException => "no answer in time: a heavily loaded machine, or a browser stuck at start-up",
        WebSocketException or IOException => $"its control connection failed: {e.Message}",
        BrowserProtocolException => e.Message,
        _ => e.GetType().Name,
    };
}
