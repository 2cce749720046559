using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;

using Wsdoctor.TestPeers;

namespace Wsdoctor.Lab.Tests.RealPeers;

/// <summary>The seeds' most common failure with the real programs: Debian's nginx in front of a Python
/// `websockets` echo server, once without the upgrade directives and once with them.</summary>
public sealed class NginxProxyTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "wsdoctor-nginx-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<PeerProcess> peers = [];
    private int nginxPort;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync()
    {
        var nginx = PeerProcess.Require("/usr/sbin/nginx");
        var (backend, backendPort) = await PythonEcho.StartAsync();
        peers.Add(backend);

        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        nginxPort = Peers.FreePort();
        var conf = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            master_process off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/tmp;
                proxy_temp_path {{directory}}/tmp;
                map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                server {
                    listen 127.0.0.1:{{nginxPort}};
                    # What most broken deployments look like: a plain proxy_pass.
                    location /broken/ { proxy_pass http://127.0.0.1:{{backendPort}}/; }
                    location /ws/ {
                        proxy_pass http://127.0.0.1:{{backendPort}}/;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Host $host;
                    }
                }
            }
            """);
        peers.Add(await PeerProcess.StartListeningAsync(nginx, ["-p", directory, "-c", conf], nginxPort, TimeSpan.FromSeconds(20)));
    }

    [SkippableFact]
    public async Task Check_NginxWithoutUpgradeDirectives_NamesTheProxyAndTheDirectives()
    {
        await StartAsync();

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{nginxPort}/broken/"));

        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.True(report.RootCause!.Code == Codes.HttpProxyDropsUpgrade, $"{report.RootCause.Code}: {string.Join(" | ", report.RootCause.Evidence)}");
        Assert.StartsWith("nginx", (string)report.RootCause.Data["proxy"]!, StringComparison.Ordinal);
        Assert.Contains("proxy_http_version 1.1", report.RootCause.Fix, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Check_NginxWithUpgradeDirectives_IsHealthyWithEcho()
    {
        await StartAsync();

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{nginxPort}/ws/") with { Send = "through nginx", Expect = "^through nginx$" });

        // session.slow is the only finding a loaded machine may add here (a ping over 1 s); anything else is a failure.
        var others = report.Findings.Where(f => f.Code != Codes.SessionSlow).ToArray();
        Assert.True(others.Length == 0 && report.Verdict != Verdict.Fail, string.Join("; ", report.Findings.Select(f => $"{f.Code}: {f.Message}")));
        Assert.NotNull(report.Timings.FirstMessageRttMs);
        Assert.Equal("nginx", report.Connection.Server?.Split('/')[0]);
    }

    private static CheckOptions Options(string url) => new() { Url = url, StepTimeout = TimeSpan.FromSeconds(3), Deadline = TimeSpan.FromSeconds(20) };


    public Task DisposeAsync()
    {
        foreach (var peer in peers)
        {
            peer.Dispose();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }

        return Task.CompletedTask;
    }
}
