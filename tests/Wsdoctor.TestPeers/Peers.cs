using Xunit;

namespace Wsdoctor.TestPeers;

/// <summary>Where the real third-party peers live on this machine. scripts/deps.sh installs the Debian ones and
/// runs <c>npm ci</c> in tests/peers for the Node ones (ws, wscat, playwright-core, pinned by its lock file).</summary>
public static class Peers
{
    /// <summary>Debian's interpreter: a pyenv python3 earlier on PATH lacks python3-websockets.</summary>
    public static string Python => Environment.GetEnvironmentVariable("WSDOCTOR_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static string Node => "/usr/bin/node";

    public static string Nginx => "/usr/sbin/nginx";

    public static string Haproxy => "/usr/sbin/haproxy";

    public static string Chromium => "/usr/bin/chromium";

    /// <summary>tests/peers, found by walking up from the test assembly to the repository root.</summary>
    public static string NodeProject { get; } = FindNodeProject();

    public static string NodeModules => Path.Combine(NodeProject, "node_modules");

    /// <summary>wscat's entry script, run with <see cref="Node"/>.</summary>
    public static string Wscat => Path.Combine(NodeModules, "wscat", "bin", "wscat");

    /// <summary>Returns the path if the peer is installed; otherwise fails the test under CI=true and skips it elsewhere.</summary>
    public static string Require(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }

        var message = $"{path} is not installed (scripts/deps.sh installs it)";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(message);
        }

        Skip.If(true, message);
        return path;
    }

    /// <summary>A Node module from tests/peers/node_modules (e.g. "ws"), with the same CI rule.</summary>
    public static string RequireNodeModule(string name)
    {
        Require(Node);
        return Require(Path.Combine(NodeModules, name));
    }

    /// <summary>A loopback port nothing listens on right now (the OS picked it; a peer that needs a port number in its
    /// config file is then started on it).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindNodeProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "peers");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "tests", "peers");
    }
}
