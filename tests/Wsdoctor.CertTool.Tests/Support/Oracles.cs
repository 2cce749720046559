using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests.Support;

/// <summary>What a real client does with a server's certificate: connect, verify the way that client verifies by
/// default (with <paramref name="ca"/> as its only extra root), and say whether it got through. The ids are the rows
/// of the per-client table (ClientTlsBehaviour) each one is the oracle for.</summary>
public static class Oracles
{
    public sealed record Attempt(string Client, bool Connected, string Said);

    public static readonly string[] Ids = ["node", "python", "openssl", "dotnet-linux"];

    /// <summary>Headless Chromium opening a WebSocket through <c>wsdoctor check --browser chromium</c> (the root
    /// trusted in a throwaway NSS profile, the name mapped to loopback as --connect-to does); the server must
    /// proxy <c>/ws</c> to a WebSocket echo, so "opened" means the certificate was accepted.</summary>
    public static async Task<Attempt> ChromiumAsync(string name, int port, string ca)
    {
        Peers.Require(Peers.Chromium);
        var run = await WsdoctorProcess.RunAsync("check", $"wss://{name}:{Port(port)}/ws", "--connect-to", $"127.0.0.1:{Port(port)}", "--ca", ca, "--browser", "chromium",
            // A page on localhost: the name resolves to loopback, and a page of a public origin would be stopped
            // by Local Network Access before the certificate is even looked at.
            "--page-origin", "https://localhost", "--json", "--deadline", "90s");
        var browser = JsonNode.Parse(run.Stdout)!["browsers"]!.AsArray().Single()!;
        var outcome = (string?)browser["outcome"];
        if (outcome is not ("opened" or "failed"))
        {
            throw new InvalidOperationException($"Chromium gave no verdict ({outcome}): {browser.ToJsonString()}");
        }

        var error = (string?)browser["error"] ?? "";
        if (outcome == "failed" && !error.Contains("ERR_CERT_", StringComparison.Ordinal) && !error.Contains("ERR_SSL_", StringComparison.Ordinal))
        {
            // Only a certificate verdict answers the question; anything else would make the oracle lie.
            throw new InvalidOperationException($"Chromium failed for another reason than the certificate: {browser.ToJsonString()}");
        }

        return new Attempt("chromium", outcome == "opened", $"{outcome}: {error}");
    }

    public static Task<Attempt> RunAsync(string id, string name, int port, string ca) => id switch
    {
        "node" => NodeAsync(name, port, ca),
        "python" => PythonAsync(name, port, ca),
        "openssl" => CurlAsync(name, port, ca),
        "dotnet-linux" => DotnetAsync(name, port, ca),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "no oracle"),
    };

    /// <summary>Node's tls.connect (what ws and undici use): OpenSSL path building, tls.checkServerIdentity.</summary>
    public static async Task<Attempt> NodeAsync(string name, int port, string ca)
    {
        var run = await Tool.RunAsync(Peers.Require(Peers.Node), [Script("tls-probe.js"), "127.0.0.1", Port(port), ca, name]);
        var reply = JsonNode.Parse(run.Stdout.Trim())!;
        return new Attempt("node", (bool)reply["ok"]!, run.Stdout.Trim());
    }

    /// <summary>Python's ssl.create_default_context(cafile=...) (what websockets and aiohttp use).</summary>
    public static async Task<Attempt> PythonAsync(string name, int port, string ca)
    {
        var run = await Tool.RunAsync(Peers.Require(Peers.Python), [Script("tls_probe.py"), "127.0.0.1", Port(port), ca, name]);
        var reply = JsonNode.Parse(run.Stdout.Trim())!;
        return new Attempt("python", (bool)reply["ok"]!, run.Stdout.Trim());
    }

    /// <summary>curl (OpenSSL) with --cacert, the name resolved to loopback.</summary>
    public static async Task<Attempt> CurlAsync(string name, int port, string ca)
    {
        var ip = IPAddress.TryParse(name, out _);
        var url = ip ? $"https://{name}:{port}/" : $"https://{name}:{port}/";
        var run = await Tool.RunAsync(Peers.Require("/usr/bin/curl"),
            ["-sS", "--max-time", "5", "--cacert", ca, .. ip ? Array.Empty<string>() : ["--resolve", $"{name}:{port}:127.0.0.1"], "-o", "/dev/null", url]);
        return new Attempt("openssl", run.ExitCode == 0, run.Stderr.Trim());
    }

    /// <summary>.NET's SslStream on Linux with the default chain policy (AIA downloads allowed) and one custom root.</summary>
    public static async Task<Attempt> DotnetAsync(string name, int port, string ca)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var ssl = new SslStream(client.GetStream());
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.ImportFromPemFile(ca);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = name, CertificateChainPolicy = policy }, timeout.Token);
            return new Attempt("dotnet-linux", true, "authenticated");
        }
        catch (AuthenticationException e)
        {
            return new Attempt("dotnet-linux", false, e.Message);
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Script(string name) => Path.Combine(Peers.NodeProject, "tls", name);
}
