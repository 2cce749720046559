using System.Diagnostics;
using System.Text;

namespace Wsdoctor.TestPeers;

/// <summary>How every test starts a child process (wsdoctor or a peer): all three streams redirected as UTF-8, and
/// the environment of whoever runs the tests kept out of the way — colour, debug and proxy variables removed (the
/// targets are loopback), the dotnet banner off — before the test's own variables are applied.</summary>
public static class ChildProcess
{
    private static readonly string[] Cleared =
        ["NO_COLOR", "WSDOCTOR_DEBUG", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy"];

    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Cleared)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
