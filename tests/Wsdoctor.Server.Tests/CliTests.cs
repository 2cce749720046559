using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

/// <summary>wsdoctor serve as a child process: signals, stdio, exit codes and the error line exist only there.</summary>
public class CliTests
{
    [Fact]
    public async Task Sigterm_PendingEchoesThen1001_ExitZero()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        using var client = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await client.ConnectAsync(serve.Url, cts.Token);
        for (var i = 0; i < 200; i++)
        {
            await client.SendTextAsync($"m{i}");
        }

        Assert.Equal("m0", await client.ReceiveTextAsync());
        serve.Process.Signal(LongRunningProcess.SigTerm);

        var echoed = 1;
        while (true)
        {
            var (type, payload) = await client.ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
            {
                break;
            }

            Assert.Equal($"m{echoed}", Encoding.UTF8.GetString(payload));
            echoed++;
        }

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        Assert.Equal("server shutting down", client.CloseStatusDescription);
        await client.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "", cts.Token);
        Assert.Equal(0, await serve.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var close = serve.Process.Stderr.Lines.Single(l => l.Contains(" event=close ", StringComparison.Ordinal));
        Assert.Equal("1001", ServeProcess.Field(close, "code"));
        Assert.Equal(ServeProcess.Field(close, "in_msgs"), ServeProcess.Field(close, "out_msgs"));
        Assert.Equal(echoed.ToString(System.Globalization.CultureInfo.InvariantCulture), ServeProcess.Field(close, "out_msgs"));
        Assert.Contains(serve.Process.Stderr.Lines, l => l.Contains(" event=shutdown clients=1", StringComparison.Ordinal));
        Assert.EndsWith(" event=stopped", serve.Process.Stderr.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ClientNeverAnswersClose_CutAfterShutdownTimeout_ExitZero()
    {
        await using var serve = await ServeProcess.StartAsync(["--shutdown-timeout", "3s"]);
        using var raw = await RawClient.ConnectAsync(serve.Url);
        Assert.StartsWith("HTTP/1.1 101", await raw.HandshakeAsync(serve.Url), StringComparison.Ordinal);
        await serve.Process.Stderr.WaitForAsync(l => l.Contains(" event=accept ", StringComparison.Ordinal), TestServer.Wait, "accept");

        // System.CommandLine's own SIGTERM handling would exit 143 after 2 s, before the 3 s deadline.
        Assert.Equal(0, await serve.StopAsync());

        var close = serve.Process.Stderr.Lines.Single(l => l.Contains(" event=close ", StringComparison.Ordinal));
        Assert.Equal("1001", ServeProcess.Field(close, "code"));
        Assert.Equal(1001, await raw.ReadCloseCodeAsync());
    }

    [Fact]
    public async Task Sigint_GracefulLikeSigterm_ExitZero()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        using var client = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await client.ConnectAsync(serve.Url, cts.Token);
        await serve.Process.Stderr.WaitForAsync(l => l.Contains(" event=accept ", StringComparison.Ordinal), TestServer.Wait, "accept");

        serve.Process.Signal(LongRunningProcess.SigInt);

        var (type, _) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        await client.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "", cts.Token);
        Assert.Equal(0, await serve.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task PortInUse_NamesTheHoldingProcess_Exit1()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await using var serve = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "serve", "--listen", $"127.0.0.1:{port}"]);
        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exit);
        var line = Assert.Single(serve.Stderr.Lines);
        using var self = Process.GetCurrentProcess();
        var comm = File.ReadAllText($"/proc/{Environment.ProcessId}/comm").Trim();
        Assert.Equal($"wsdoctor: error: 127.0.0.1:{port} is already in use by {comm} (pid {Environment.ProcessId})", line);
    }

    [Fact]
    public async Task Localhost_ListensOnBothFamilies_SamePort()
    {
        await using var serve = await ServeProcess.StartAsync(["--listen", "localhost:0"]);

        Assert.Equal(2, serve.Urls.Count);
        Assert.Equal("127.0.0.1", serve.Urls[0].Host);
        Assert.Equal("[::1]", serve.Urls[1].Host);
        Assert.Equal(serve.Urls[0].Port, serve.Urls[1].Port);
        foreach (var url in serve.Urls)
        {
            using var client = new ClientWebSocket();
            using var cts = new CancellationTokenSource(TestServer.Wait);
            await client.ConnectAsync(url, cts.Token);
            await client.SendTextAsync(url.Host);
            Assert.Equal(url.Host, await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Stdio_StdinLineReachesClients_ClientMessagesOnStdout()
    {
        await using var serve = await ServeProcess.StartAsync(["--mode", "stdio"]);
        using var client = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await client.ConnectAsync(serve.Url, cts.Token);
        await serve.Process.Stderr.WaitForAsync(l => l.Contains(" event=accept ", StringComparison.Ordinal), TestServer.Wait, "accept");

        await serve.Process.Stdin.WriteLineAsync("from stdin");
        await serve.Process.Stdin.FlushAsync();
        Assert.Equal("from stdin", await client.ReceiveTextAsync());

        await client.SendTextAsync("to stdout");
        await client.SendAsync([0xde, 0xad], WebSocketMessageType.Binary);
        await serve.Process.Stdout.WaitForAsync(l => l == "to stdout", TestServer.Wait, "text on stdout");
        await serve.Process.Stdout.WaitForAsync(l => l == "dead", TestServer.Wait, "binary as hex on stdout");

        // End of stdin does not stop the server.
        serve.Process.Stdin.Close();
        await client.SendTextAsync("still here");
        await serve.Process.Stdout.WaitForAsync(l => l == "still here", TestServer.Wait, "message after stdin EOF");
        Assert.DoesNotContain(serve.Process.Stdout.Lines, l => l.Contains("event=", StringComparison.Ordinal));
        var exit = await serve.StopAsync();
        Assert.True(exit == 0, $"exit {exit}\n{serve.Process.Stderr}");
    }

    [Theory]
    [InlineData("--mode", "mirror")]
    [InlineData("--listen", "example.com:80")]
    [InlineData("--listen", "::1:80")]
    [InlineData("--max-message-size", "lots")]
    [InlineData("--auth-first-message")]
    [InlineData("--tls-cert", "/nonexistent.pem")]
    [InlineData("--ping-interval", "soon")]
    public async Task UsageErrors_OneLine_Exit2(params string[] args)
    {
        await using var serve = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "serve", .. args]);
        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        var line = Assert.Single(serve.Stderr.Lines);
        Assert.StartsWith("wsdoctor: error: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsCertKeyMismatch_OneLine_Exit2()
    {
        using var dir = new TempDir();
        using var pki = Certificates.TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(Certificates.LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        using var other = pki.IssueLeaf(Certificates.LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        File.WriteAllText(dir.File("cert.pem"), Certificates.Pem.Export(leaf));
        File.WriteAllText(dir.File("key.pem"), Certificates.Pem.ExportPrivateKey(other));

        await using var serve = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "serve", "--listen", "127.0.0.1:0", "--tls-cert", dir.File("cert.pem"), "--tls-key", dir.File("key.pem")]);

        Assert.Equal(2, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("does not hold the private key", Assert.Single(serve.Stderr.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsCertLeafOnly_WarnLineNamesMissingIssuer()
    {
        using var dir = new TempDir();
        using var pki = Certificates.TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(Certificates.LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        File.WriteAllText(dir.File("cert.pem"), Certificates.Pem.Export(leaf));
        File.WriteAllText(dir.File("key.pem"), Certificates.Pem.ExportPrivateKey(leaf));

        await using var serve = await ServeProcess.StartAsync(["--tls-cert", dir.File("cert.pem"), "--tls-key", dir.File("key.pem")]);

        var warn = serve.Process.Stderr.Lines.Single(l => l.Contains(" event=warn ", StringComparison.Ordinal));
        Assert.Equal("tls.incomplete-chain", ServeProcess.Field(warn, "code"));
        Assert.Contains("wsdoctor test intermediate CA", ServeProcess.Field(warn, "detail"), StringComparison.Ordinal);
    }
}
