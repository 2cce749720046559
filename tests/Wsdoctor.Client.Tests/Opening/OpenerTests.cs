using System.Net;
using System.Net.Sockets;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Tests.Support;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Client.Tests.Opening;

/// <summary>Opening against real peers: TLS with a test CA, redirects, and failures as values.</summary>
public sealed class OpenerTests
{
    [SkippableFact]
    public async Task Wss_NodeWithTestCa_TrustedViaCa_ReportsTlsFacts()
    {
        using var certs = new PeerCertificates();
        using var peer = await EventPeer.StartNodeAsync("--cert", certs.CertPath, "--key", certs.KeyPath);
        await using var live = await Live.OpenAsync(Live.Options($"wss://localhost:{peer.Port}/secure", o => o with { CaFile = certs.CaPath }));

        await live.SendTextAsync("over tls");

        Assert.Equal("over tls", Live.Text(live.NextIn()));
        Assert.StartsWith("TLS 1.", live.Connection.Facts.TlsVersion, StringComparison.Ordinal);
        Assert.Contains("CN=localhost", live.Connection.Facts.CertificateSubject, StringComparison.Ordinal);
        Assert.NotNull(live.Connection.Facts.CipherSuite);
    }

    [SkippableFact]
    public async Task Wss_IpLiteralHost_MatchesTheIpSan()
    {
        using var certs = new PeerCertificates();
        using var peer = await EventPeer.StartNodeAsync("--cert", certs.CertPath, "--key", certs.KeyPath);
        await using var live = await Live.OpenAsync(Live.Options($"wss://127.0.0.1:{peer.Port}/ip", o => o with { CaFile = certs.CaPath }));

        await live.SendTextAsync("by address");

        Assert.Equal("by address", Live.Text(live.NextIn()));
    }

    [SkippableFact]
    public async Task Wss_UntrustedCertificate_FailsAtTls_UnlessInsecure()
    {
        using var certs = new PeerCertificates();
        using var peer = await EventPeer.StartNodeAsync("--cert", certs.CertPath, "--key", certs.KeyPath);
        using var cts = new CancellationTokenSource(Live.Patience);

        var refused = await Opener.OpenAsync(Live.Options($"wss://localhost:{peer.Port}/"), cts.Token);
        Assert.Null(refused.Connection);
        Assert.Equal(OpenStage.Tls, refused.Failure!.Stage);

        await using var live = await Live.OpenAsync(Live.Options($"wss://localhost:{peer.Port}/", o => o with { Insecure = true }));
        await live.SendTextAsync("k");
        Assert.Equal("k", Live.Text(live.NextIn()));
    }

    [SkippableFact]
    public async Task MutualTls_ClientCertificatePresented_ServerSeesItsName_RefusedWithout()
    {
        using var certs = new PeerCertificates();
        var (cert, key) = certs.IssueClient("device-42");
        using var peer = await EventPeer.StartNodeAsync("--cert", certs.CertPath, "--key", certs.KeyPath, "--client-ca", certs.ClientCaPath);

        await using (var live = await Live.OpenAsync(Live.Options($"wss://localhost:{peer.Port}/", o => o with { CaFile = certs.CaPath, CertFile = cert, KeyFile = key })))
        {
            var upgrade = await peer.WaitForAsync("upgrade");
            Assert.Equal("device-42", upgrade.GetProperty("clientCertificate").GetString());
        }

        using var cts = new CancellationTokenSource(Live.Patience);
        var refused = await Opener.OpenAsync(Live.Options($"wss://localhost:{peer.Port}/", o => o with { CaFile = certs.CaPath }), cts.Token);
        Assert.NotNull(refused.Failure);
        Assert.Contains(refused.Failure.Stage, new[] { OpenStage.Tls, OpenStage.Handshake });
        Assert.Equal(1, peer.Count("open"));
    }

    [SkippableFact]
    public async Task Python_PlainAndTls_EchoAndCloseCode()
    {
        using var certs = new PeerCertificates();
        foreach (var tls in new[] { false, true })
        {
            using var peer = tls
                ? await EventPeer.StartPythonAsync("--cert", certs.CertPath, "--key", certs.KeyPath)
                : await EventPeer.StartPythonAsync();
            var scheme = tls ? "wss" : "ws";
            await using var live = await Live.OpenAsync(Live.Options($"{scheme}://localhost:{peer.Port}/py", o => o with { CaFile = certs.CaPath, Subprotocols = ["chat"] }));

            await live.SendTextAsync("from dotnet");
            Assert.Equal("from dotnet", Live.Text(live.NextIn()));
            Assert.Equal("chat", live.Connection.Facts.Subprotocol);
            await live.SendTextAsync("close:4002:done here");
            var end = await live.EndAsync();
            Assert.Equal(4002, end.Code);
            Assert.Equal("done here", end.Reason);
            var open = await peer.WaitForAsync("open");
            Assert.Equal("/py", open.GetProperty("path").GetString());
        }
    }

    [SkippableFact]
    public async Task Redirect_WithoutL_IsAnExplainedFailure_WithL_Followed()
    {
        using var target = await EventPeer.StartNodeAsync();
        using var mover = await EventPeer.StartNodeAsync("--redirect", $"http://127.0.0.1:{target.Port}/moved");
        using var cts = new CancellationTokenSource(Live.Patience);

        var refused = await Opener.OpenAsync(Live.Options($"ws://127.0.0.1:{mover.Port}/old"), cts.Token);
        Assert.Equal(OpenStage.Redirect, refused.Failure!.Stage);
        Assert.Equal(301, refused.Failure.StatusCode);
        Assert.Contains("browsers never follow", refused.Failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("服务端以 301 重定向到 ", refused.Failure.Message.Zh, StringComparison.Ordinal);

        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{mover.Port}/old", follow: true));
        Assert.Equal($"ws://127.0.0.1:{target.Port}/moved", live.Connection.Facts.Url.ToString());
        var hop = Assert.Single(live.Connection.Facts.Redirects);
        Assert.Contains("301", hop, StringComparison.Ordinal);
        Assert.Contains("cross-origin", hop, StringComparison.Ordinal);
        var upgrade = await target.WaitForAsync("upgrade");
        Assert.Equal("/moved", upgrade.GetProperty("url").GetString());
    }

    [SkippableFact]
    public async Task Redirect_Loop_StopsAfterMaxHops()
    {
        using var loop = await EventPeer.StartNodeAsync("--redirect", "/again");
        using var cts = new CancellationTokenSource(Live.Patience);

        var result = await Opener.OpenAsync(Live.Options($"ws://127.0.0.1:{loop.Port}/", follow: true), cts.Token);

        Assert.Equal(OpenStage.Redirect, result.Failure!.Stage);
        Assert.Contains("more than 5 redirects", result.Failure.Message, StringComparison.Ordinal);
        await loop.WaitForAsync("upgrade", e => e.GetProperty("n").GetInt32() == 6);
        Assert.Equal(6, loop.Count("upgrade"));
    }

    [SkippableFact]
    public async Task NotUpgraded_FailsWithStatus()
    {
        using var peer = await EventPeer.StartNodeAsync("--no-upgrade");
        using var cts = new CancellationTokenSource(Live.Patience);

        var result = await Opener.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"), cts.Token);

        Assert.Equal(OpenStage.Handshake, result.Failure!.Stage);
        Assert.Equal(200, result.Failure.StatusCode);
    }

    [Fact]
    public async Task ClosedPort_FailsAtConnect_WithoutThrowing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var cts = new CancellationTokenSource(Live.Patience);

        var result = await Opener.OpenAsync(Live.Options($"ws://127.0.0.1:{port}/"), cts.Token);

        Assert.Equal(OpenStage.Connect, result.Failure!.Stage);
        Assert.Contains("ConnectionRefused", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal($"无法连接：127.0.0.1:{port}: ConnectionRefused", result.Failure.Message.Zh);
    }

    [SkippableFact]
    public async Task ConnectTo_KeepsHostHeader_DialsOtherAddress()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options("ws://api.example.invalid/", o => o with { ConnectTo = $"127.0.0.1:{peer.Port}" }));

        var upgrade = await peer.WaitForAsync("upgrade");
        Assert.Equal("api.example.invalid", upgrade.GetProperty("headers").GetProperty("host").GetString());
        Assert.Equal($"127.0.0.1:{peer.Port}", live.Connection.Facts.RemoteEndPoint);
    }
}
