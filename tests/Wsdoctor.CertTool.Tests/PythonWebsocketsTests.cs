using System.Text.Json.Nodes;
using Wsdoctor.CertTool.Tests.Support;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests;

/// <summary>Python websockets (tests/peers/python/ws_server.py, ssl.load_cert_chain then websockets.serve) serving the
/// files a deployment gets wrong: what it sends is what <c>cert inspect host:port</c> reports, and it refuses to start
/// with the files <c>cert verify</c> fails.</summary>
public sealed class PythonWebsocketsTests
{
    [SkippableTheory]
    [InlineData("fullchain", "ok", null)]
    [InlineData("leaf-only", "fail", "tls.incomplete-chain")]
    public async Task Inspect_WhatPythonWebsocketsSends(string file, string verdict, string? code)
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test", "authorityInfoAccess=caIssuers;URI:http://127.0.0.1:9/int.der");
        var (server, port) = await PeerProcess.StartAsync(Peers.Require(Peers.Python),
            [Path.Combine(Peers.NodeProject, "python", "ws_server.py"), "--cert", file == "fullchain" ? leaf.FullChain : leaf.Certificate, "--key", leaf.Key], TimeSpan.FromSeconds(20));
        using var _ = server;

        var run = await WsdoctorProcess.RunAsync("cert", "inspect", $"wss://ws.example.test:{port}/", "--connect-to", "127.0.0.1", "--ca", pki.Root, "--offline", "--json");

        var report = JsonNode.Parse(run.Stdout)!;
        Assert.True((string?)report["verdict"] == verdict, run.ToString());
        Assert.Equal(code, (string?)report["rootCause"]?["code"]);
        Assert.Equal(file == "fullchain" ? 2 : 1, report["certificates"]!.AsArray().Count);
    }

    [SkippableTheory]
    [InlineData("wrong-order")]
    [InlineData("key-mismatch")]
    public async Task PythonWebsockets_RefusesToStart_WithWhatVerifyFails(string defect)
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var other = await pki.LeafAsync("other", "other.example.test", "subjectAltName=DNS:other.example.test");
        var certificate = leaf.FullChain;
        var key = leaf.Key;
        if (defect == "wrong-order")
        {
            certificate = Path.Combine(pki.Directory, "wrong-order.pem");
            await File.WriteAllTextAsync(certificate, await File.ReadAllTextAsync(pki.Intermediate) + await File.ReadAllTextAsync(leaf.Certificate));
        }
        else
        {
            key = other.Key;
        }

        var verify = await WsdoctorProcess.RunAsync("cert", "verify", certificate, "--key", key, "--ca", pki.Root);
        var python = await Assert.ThrowsAsync<InvalidOperationException>(() => PeerProcess.StartAsync(Peers.Require(Peers.Python),
            [Path.Combine(Peers.NodeProject, "python", "ws_server.py"), "--cert", certificate, "--key", key], TimeSpan.FromSeconds(20)));

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("KEY_VALUES_MISMATCH", python.Message, StringComparison.Ordinal);
    }
}
