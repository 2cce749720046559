using Wsdoctor.TestPeers;

namespace Wsdoctor.Lint.Tests.Snippets;

/// <summary>The proxies as installed by scripts/deps.sh (Debian's packages), how each checks a configuration, and how
/// each is run in the foreground for one test: never as a daemon, listening only where the configuration says
/// (127.0.0.1), killed when the test ends.</summary>
public static class RealProgram
{
    public const string Apache = "/usr/sbin/apache2";

    public const string Caddy = "/usr/bin/caddy";

    /// <summary>Runs a program to completion (bounded by <see cref="WsdoctorProcess.Timeout"/>).</summary>
    public static Task<CliRun> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        WsdoctorProcess.RunProcessAsync(Peers.Require(program), args, environment ?? new Dictionary<string, string>());

    /// <summary>nginx with its prefix in <paramref name="dir"/>: pid and error log there, no daemon, one process.</summary>
    public static string[] NginxArgs(string dir, string conf, bool run) =>
        [.. run ? Array.Empty<string>() : ["-t"], "-p", dir, "-c", conf, "-g", $"{(run ? "daemon off; master_process off; " : "")}pid {dir}/nginx.pid; error_log {dir}/error.log;"];

    /// <summary>Caddy's state (autosave, certificates) and admin API kept in the test's directory and port.</summary>
    public static Dictionary<string, string> CaddyEnvironment(string dir) => new()
    {
        ["HOME"] = dir,
        ["XDG_CONFIG_HOME"] = Path.Combine(dir, "config"),
        ["XDG_DATA_HOME"] = Path.Combine(dir, "data"),
        ["CADDY_ADMIN"] = $"127.0.0.1:{Peers.FreePort()}",
    };

    /// <summary>Starts the proxy and waits until it accepts on <paramref name="port"/>.</summary>
    public static async Task<PeerProcess> StartAsync(string program, IEnumerable<string> args, int port, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (environment is null)
        {
            return await PeerProcess.StartListeningAsync(Peers.Require(program), args, port, TimeSpan.FromSeconds(20));
        }

        // PeerProcess has no environment parameter: run the program under env(1), which execs it (same pid, so the
        // kill at the end still reaches it).
        return await PeerProcess.StartListeningAsync("/usr/bin/env", [.. environment.Select(e => $"{e.Key}={e.Value}"), Peers.Require(program), .. args], port, TimeSpan.FromSeconds(20));
    }
}
