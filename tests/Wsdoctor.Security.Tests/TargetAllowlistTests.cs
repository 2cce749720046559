using System.Net;
using System.Net.Sockets;
using System.Text;
using Wsdoctor.Exporter.Config;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>The exporter is a client that whoever reaches /probe steers (SSRF): it probes only targets its allowlist
/// admits, a module with a credential refuses every target until an allowlist exists, and a redirect to another host is
/// never followed. check, which does follow redirects to diagnose them, never sends credentials to another host.</summary>
public sealed class TargetAllowlistTests
{
    [Theory]
    [InlineData("chat.example.com", "wss://chat.example.com/ws", true)]
    [InlineData("chat.example.com", "wss://CHAT.example.com:8443/", true)]
    [InlineData("chat.example.com", "wss://chat.example.com.evil.test/", false)]
    [InlineData("*.example.com", "wss://a.b.example.com/", true)]
    [InlineData("*.example.com", "wss://example.com/", false)]
    [InlineData("*.example.com", "wss://evilexample.com/", false)]
    [InlineData("wss://chat.example.com", "ws://chat.example.com/", false)]
    [InlineData("chat.example.com:443", "wss://chat.example.com/", true)]
    [InlineData("chat.example.com:443", "wss://chat.example.com:444/", false)]
    [InlineData("chat.example.com/ws", "wss://chat.example.com/ws/room", true)]
    [InlineData("chat.example.com/ws", "wss://chat.example.com/wsx", false)]
    [InlineData("127.0.0.1", "ws://127.0.0.1:9/", true)]
    [InlineData("127.0.0.1", "ws://127.0.0.2:9/", false)]
    [InlineData("[::1]:9", "ws://[0:0:0:0:0:0:0:1]:9/", true)]
    [InlineData("*", "wss://anything.test/", true)]
    public void TargetPattern_Matches(string pattern, string target, bool expected)
    {
        var (parsed, error) = TargetPattern.Parse(pattern);
        Assert.Null(error);
        Assert.Equal(expected, parsed!.Matches(new Uri(target)));
    }

    [Theory]
    [InlineData("http://example.com", "the scheme can only be ws:// or wss://")]
    [InlineData("a*.example.com", "'*' may only be the whole host or the first label")]
    [InlineData("example.com:0", "port '0' is not a number from 1 to 65535")]
    [InlineData("[::1", "'[' without ']'")]
    [InlineData("exa mple.com", "is not a host name")]
    public void TargetPattern_Invalid_SaysWhy(string pattern, string reason)
    {
        var (parsed, error) = TargetPattern.Parse(pattern);
        Assert.Null(parsed);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exporter_TargetOutsideTheAllowlist_Is403AndNeverContacted()
    {
        await using var watched = await ServeProcess.StartAsync([]);
        using var other = new CountingListener(IPAddress.Parse("127.0.0.2"));
        await using var exporter = await StartExporterAsync(["--allow-target", $"127.0.0.1:{watched.Url.Port}"]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var allowed = await http.GetAsync(Probe(exporter.Url, watched.Url.ToString()));
        var refused = await http.GetAsync(Probe(exporter.Url, $"ws://127.0.0.2:{other.Port}/"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("probe_success 1", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("not in the exporter's allowlist", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal(0, other.Accepted);
        Assert.Contains(exporter.Process.Stderr.Lines, l => l.Contains("event=refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exporter_CredentialModuleWithoutAllowlist_RefusesEveryTarget()
    {
        using var other = new CountingListener(IPAddress.Loopback);
        using var dir = new TempDirectory();
        var config = Path.Combine(dir.Path, "exporter.yaml");
        await File.WriteAllTextAsync(config, "modules:\n  plain: {}\n  auth:\n    token: { env: ALLOW_TEST_TOKEN }\n");
        await using var exporter = await StartExporterAsync(["--config", config], new Dictionary<string, string> { ["ALLOW_TEST_TOKEN"] = "t0ken" });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var withToken = await http.GetAsync(Probe(exporter.Url, $"ws://127.0.0.1:{other.Port}/", "auth"));
        Assert.Equal(HttpStatusCode.Forbidden, withToken.StatusCode);
        Assert.Contains("module auth sends a credential", await withToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal(0, other.Accepted);

        // The same target through a module without a credential is probed (blackbox_exporter's default).
        var plain = await http.GetAsync(Probe(exporter.Url, $"ws://127.0.0.1:{other.Port}/", "plain"));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.True(other.Accepted >= 1);
    }

    [Fact]
    public async Task Exporter_RedirectToAnotherHost_IsNotFollowedEvenWithFollowUpProbes()
    {
        using var other = new CountingListener(IPAddress.Parse("127.0.0.2"));
        using var redirector = await EventPeer.StartNodeAsync("--port", "0", "--redirect", $"ws://127.0.0.2:{other.Port}/internal");
        using var dir = new TempDirectory();
        var config = Path.Combine(dir.Path, "exporter.yaml");
        await File.WriteAllTextAsync(config, "modules:\n  curious:\n    follow_up_probes: true\n");
        await using var exporter = await StartExporterAsync(["--config", config]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var answer = await http.GetStringAsync(Probe(exporter.Url, $"ws://127.0.0.1:{redirector.Port}/", "curious"));

        Assert.Contains("probe_success 0", answer, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal(0, other.Accepted);
    }

    [Fact]
    public async Task Check_RedirectToAnotherHost_FollowsWithoutTheCredentials()
    {
        var secrets = new Secrets();
        using var other = new CountingListener(IPAddress.Parse("127.0.0.2"));
        using var redirector = await EventPeer.StartNodeAsync("--port", "0", "--redirect", $"ws://127.0.0.2:{other.Port}/elsewhere");

        var run = await WsdoctorProcess.RunAsync(["check", $"ws://127.0.0.1:{redirector.Port}/", .. secrets.Options, "--json"]);

        Assert.Contains("http.redirect", run.Stdout, StringComparison.Ordinal);
        var head = await other.FirstRequestAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("GET /elsewhere ", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Cookie", head, StringComparison.OrdinalIgnoreCase);
        secrets.AssertNowhere(head, "the request check sent to the redirect's other host");

        // The redirect to the same host and port keeps them: that is where they were meant to go.
        var redirectorEvents = redirector.Events.Where(e => e.GetProperty("event").GetString() == "upgrade").ToList();
        Assert.Contains(redirectorEvents, e => e.GetProperty("headers").TryGetProperty("authorization", out _));
    }

    private static Uri Probe(Uri exporter, string target, string module = "default") =>
        new($"{exporter}?module={module}&target={Uri.EscapeDataString(target)}");

    private static async Task<RunningExporter> StartExporterAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = LongRunningProcess.Start(WsdoctorProcess.DotnetHost, [WsdoctorProcess.DllPath, "exporter", "--listen", "127.0.0.1:0", .. args], environment);
        var listen = await process.Stderr.WaitForAsync(l => l.Contains("event=listen", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "exporter listening");
        return new RunningExporter(process, new Uri(ServeProcess.Field(listen, "url")!));
    }

    private sealed record RunningExporter(LongRunningProcess Process, Uri Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    /// <summary>A TCP listener standing for "another host": counts connections and keeps the first request head.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly TcpListener listener;
        private readonly TaskCompletionSource<string> first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int accepted;

        public CountingListener(IPAddress address)
        {
            listener = new TcpListener(address, 0);
            listener.Start();
            _ = AcceptLoop();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref accepted);

        public Task<string> FirstRequestAsync(TimeSpan timeout) => first.Task.WaitAsync(timeout);

        public void Dispose() => listener.Stop();

        private async Task AcceptLoop()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref accepted);
                _ = ReadHead(client);
            }
        }

        private async Task ReadHead(TcpClient client)
        {
            using (client)
            {
                var buffer = new byte[16 * 1024];
                var text = new StringBuilder();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    var stream = client.GetStream();
                    while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, cts.Token);
                        if (read == 0)
                        {
                            break;
                        }

                        text.Append(Encoding.Latin1.GetString(buffer, 0, read));
                    }

                    first.TrySetResult(text.ToString());
                    await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), cts.Token);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    first.TrySetResult(text.ToString());
                }
            }
        }
    }
}
