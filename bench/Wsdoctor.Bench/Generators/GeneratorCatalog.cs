using System.Globalization;
using System.Text;

namespace Wsdoctor.Bench.Generators;

/// <summary>The load generators compared, each told to run a closed loop of C connections sending S-byte messages
/// for longer than the bench needs (the bench stops it): the command line, and the files it reads.</summary>
public static class GeneratorCatalog
{
    public const string Wsdoctor = "wsdoctor";
    public const string NodeWs = "node-ws";
    public const string Artillery = "artillery";
    public const string Tsung = "tsung";

    public static readonly IReadOnlyList<string> Known = [Wsdoctor, NodeWs, Artillery, Tsung];

    /// <summary>The command and its environment; <paramref name="directory"/> is a fresh folder for its files.</summary>
    public static (IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment) Command(
        string name, BenchSettings settings, Uri url, int connections, int bytes, int seconds, string directory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(url);
        var c = connections.ToString(CultureInfo.InvariantCulture);
        var s = bytes.ToString(CultureInfo.InvariantCulture);
        var d = seconds.ToString(CultureInfo.InvariantCulture);
        var none = new Dictionary<string, string>();
        switch (name)
        {
            case Wsdoctor:
                // The user-facing command, closed loop, binary messages, every echo verified byte for byte.
                return ([settings.Dotnet, settings.WsdoctorDll, "bench", url.ToString(), "-c", c, "--size", s, "-d", d + "s", "--warmup", "0", "-q"], none);
            case NodeWs:
                return ([settings.Node, settings.NodeLoadClientScript, url.ToString(), c, s, d, settings.WsModule], none);
            case Artillery:
            {
                var file = Path.Combine(directory, "echo.yml");
                File.WriteAllText(file, ArtilleryScript(url, connections, bytes));
                // Telemetry off: nothing leaves the machine, and no exit delay waiting for a network that is not there.
                return ([settings.Artillery, "run", "--quiet", file], new Dictionary<string, string> { ["ARTILLERY_DISABLE_TELEMETRY"] = "true" });
            }

            case Tsung:
            {
                var file = Path.Combine(directory, "echo.xml");
                File.WriteAllText(file, TsungScript(url, connections, bytes));
                // HOME: tsung creates ~/.tsung; keep it in the run's folder.
                return ([settings.Tsung, "-f", file, "-l", Path.Combine(directory, "log"), "start"], new Dictionary<string, string> { ["HOME"] = directory });
            }

            default:
                throw new ArgumentException($"unknown generator {name}; known: {string.Join(", ", Known)}", nameof(name));
        }
    }

    /// <summary>The text payload artillery sends: JSON of exactly <paramref name="bytes"/> bytes, {"n":"xxx…"}.</summary>
    public static string ArtilleryPayload(int bytes) => "{\"n\":\"" + new string('x', Math.Max(1, bytes - 8)) + "\"}";

    /// <summary>artillery's ws engine waits for the reply only when a send step has match or capture, so each send
    /// matches its echo: C virtual users arrive within the first second, each looping send-and-match.</summary>
    private static string ArtilleryScript(Uri url, int connections, int bytes)
    {
        var payload = ArtilleryPayload(bytes);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"config:\n  target: \"{url}\"\n  ws:\n    perMessageDeflate: false\n  phases:\n    - duration: 1\n      arrivalCount: {connections}\n");
        text.Append("scenarios:\n  - engine: ws\n    flow:\n      - loop:\n          - send:\n");
        text.Append(CultureInfo.InvariantCulture, $"              payload: '{payload}'\n              match:\n                json: \"$.n\"\n                value: \"{payload[6..^2]}\"\n        count: 100000000\n");
        return text.ToString();
    }

    /// <summary>tsung's websocket plugin waits for a frame after each message (its default ack), so each user is a
    /// closed loop; C users arrive at 100 a second, each looping one binary message.</summary>
    private static string TsungScript(Uri url, int connections, int bytes)
    {
        var payload = new string('x', bytes);
        var arrival = Math.Max(1, (int)Math.Ceiling(connections / 100.0)) + 1;
        return $"""
            <?xml version="1.0"?>
            <!DOCTYPE tsung SYSTEM "/usr/share/tsung/tsung-1.0.dtd">
            <tsung loglevel="warning" version="1.0" dumptraffic="false">
              <clients>
                <client host="localhost" use_controller_vm="true" maxusers="100000"/>
              </clients>
              <servers>
                <server host="{url.Host}" port="{url.Port}" type="tcp"/>
              </servers>
              <load>
                <arrivalphase phase="1" duration="{arrival}" unit="second">
                  <users maxnumber="{connections}" arrivalrate="100" unit="second"/>
                </arrivalphase>
              </load>
              <sessions>
                <session name="echo" probability="100" type="ts_websocket">
                  <request><websocket type="connect" path="{url.AbsolutePath}"></websocket></request>
                  <for from="1" to="100000000" var="i">
                    <request><websocket type="message" frame="binary">{payload}</websocket></request>
                  </for>
                  <request><websocket type="close"></websocket></request>
                </session>
              </sessions>
            </tsung>

            """;
    }
}
