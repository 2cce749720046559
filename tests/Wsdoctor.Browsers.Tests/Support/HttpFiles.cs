using System.Text;
using Wsdoctor.Lab.Servers;

namespace Wsdoctor.Browsers.Tests.Support;

/// <summary>A loopback HTTP server answering every request with the same response (a page with its
/// Content-Security-Policy, an intermediate certificate for an AIA URL), counting the requests it got.</summary>
public sealed class HttpFiles : IAsyncDisposable
{
    private readonly RawServer server;
    private int requests;

    private HttpFiles(string contentType, byte[] body, string[] headers)
    {
        server = RawServer.Start(async (stream, ct) =>
        {
            await RawHttp.ReadRequestAsync(stream, ct);
            Interlocked.Increment(ref requests);
            var head = new StringBuilder($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
            foreach (var header in headers)
            {
                head.Append(header).Append("\r\n");
            }

            await RawHttp.WriteAsync(stream, [.. Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), .. body], ct);
        });
    }

    public int Port => server.Port;

    public int Requests => Volatile.Read(ref requests);

    public static HttpFiles Page(string html, params string[] headers) => new("text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), headers);

    public static HttpFiles Certificate(byte[] der) => new("application/pkix-cert", der, []);

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
