using System.CommandLine;
using System.Globalization;
using Wsdoctor.Bench;
using Wsdoctor.Bench.Generators;
using Wsdoctor.Bench.Results;
using Wsdoctor.Bench.Runs;

// Before the first socket of this process: the load engine's continuations run on the epoll threads (docs/performance.md).
Wsdoctor.Load.Connections.SocketCompletions.PreferInline();
var root = RepositoryRoot();
var servers = new Option<string>("--servers") { Description = "Servers to compare, comma-separated: " + string.Join(',', ServerCatalog.Known), DefaultValueFactory = _ => string.Join(',', ServerCatalog.Known) };
var connections = new Option<string>("--connections", "-c") { Description = "Connection counts of the throughput runs, comma-separated", DefaultValueFactory = _ => "1,64,256" };
var sizes = new Option<string>("--sizes", "-s") { Description = "Message sizes in bytes, comma-separated", DefaultValueFactory = _ => "32,4096" };
var warmUp = new Option<double>("--warmup") { Description = "Seconds of unmeasured load before each measured window", DefaultValueFactory = _ => 2 };
var duration = new Option<double>("--duration", "-d") { Description = "Seconds measured per throughput run", DefaultValueFactory = _ => 8 };
var idle = new Option<int>("--idle") { Description = "Idle connections held for the memory measurement", DefaultValueFactory = _ => 10000 };
var settle = new Option<double>("--settle") { Description = "Seconds to wait before each RSS reading", DefaultValueFactory = _ => 3 };
var wsdoctor = new Option<string>("--wsdoctor") { Description = "wsdoctor.dll to run `serve` from", DefaultValueFactory = _ => Path.Combine(root, "src/Wsdoctor.Cli/bin/Release/net10.0/wsdoctor.dll") };
var node = new Option<string>("--node") { Description = "Node executable", DefaultValueFactory = _ => "node" };
var wsModule = new Option<string>("--ws-module") { Description = "The ws package directory", DefaultValueFactory = _ => Path.Combine(root, "tests/peers/node_modules/ws") };
var bin = new Option<string>("--peer-bin") { Description = "Directory with the compiled peers (gorilla-echo, tcp-echo; bench/run.sh builds them)", DefaultValueFactory = _ => Path.Combine(root, "artifacts/bench/bin") };
var python = new Option<string>("--python") { Description = "Python with the websockets package (Debian's python3-websockets)", DefaultValueFactory = _ => "/usr/bin/python3" };
var generators = new Option<string>("--generators") { Description = "Load generators compared on the gorilla server, comma-separated (empty: none): " + string.Join(',', GeneratorCatalog.Known), DefaultValueFactory = _ => string.Join(',', GeneratorCatalog.Known) };
var generatorConnections = new Option<string>("--generator-connections") { Description = "Connection counts of the generator comparison, comma-separated", DefaultValueFactory = _ => "1,64" };
var generatorSize = new Option<int>("--generator-size") { Description = "Message size of the generator comparison, bytes", DefaultValueFactory = _ => 32 };
var tsung = new Option<string>("--tsung") { Description = "tsung executable", DefaultValueFactory = _ => "tsung" };
var output = new Option<string>("--out") { Description = "Directory for the JSON and markdown results", DefaultValueFactory = _ => Path.Combine(root, "artifacts/bench") };
var doc = new Option<string?>("--doc") { Description = "Markdown file whose results markers receive the tables (empty: none)", DefaultValueFactory = _ => Path.Combine(root, "docs/performance.md") };

var command = new RootCommand("wsdoctor-bench: `wsdoctor serve` beside Node ws, Go gorilla, Python websockets and a raw TCP echo under the same closed-loop load, and wsdoctor's load generator beside Node ws, artillery and tsung")
{
    servers, connections, sizes, warmUp, duration, idle, settle, wsdoctor, node, wsModule, bin, python, generators, generatorConnections, generatorSize, tsung, output, doc,
};
command.SetAction(async (ParseResult parsed, CancellationToken ct) =>
{
    BenchSettings settings;
    try
    {
        settings = new BenchSettings
        {
            Servers = List(parsed.GetValue(servers)!, Known(ServerCatalog.Known, "server")),
            Connections = List(parsed.GetValue(connections)!, Positive),
            MessageSizes = List(parsed.GetValue(sizes)!, Positive),
            WarmUpSeconds = Math.Max(0, parsed.GetValue(warmUp)),
            DurationSeconds = Require(parsed.GetValue(duration), "--duration"),
            IdleConnections = (int)Require(parsed.GetValue(idle), "--idle"),
            SettleSeconds = Math.Max(0, parsed.GetValue(settle)),
            WsdoctorDll = Path.GetFullPath(parsed.GetValue(wsdoctor)!),
            Dotnet = DotnetHost(),
            Node = parsed.GetValue(node)!,
            NodeServerScript = Path.Combine(root, "bench/peers/ws-echo-server.js"),
            WsModule = Path.GetFullPath(parsed.GetValue(wsModule)!),
            GorillaServer = Path.Combine(Path.GetFullPath(parsed.GetValue(bin)!), "gorilla-echo"),
            TcpEchoServer = Path.Combine(Path.GetFullPath(parsed.GetValue(bin)!), "tcp-echo"),
            Python = parsed.GetValue(python)!,
            PythonServerScript = Path.Combine(root, "bench/peers/python-echo-server.py"),
            Generators = List(parsed.GetValue(generators)!, Known(GeneratorCatalog.Known, "generator")),
            GeneratorConnections = List(parsed.GetValue(generatorConnections)!, Positive),
            GeneratorMessageBytes = (int)Require(parsed.GetValue(generatorSize), "--generator-size"),
            Artillery = Path.Combine(root, "bench/peers/node_modules/.bin/artillery"),
            Tsung = parsed.GetValue(tsung)!,
            NodeLoadClientScript = Path.Combine(root, "bench/peers/ws-load-client.js"),
            OutputDirectory = Path.GetFullPath(parsed.GetValue(output)!),
            DocFile = parsed.GetValue(doc) is { Length: > 0 } d ? Path.GetFullPath(d) : null,
        };
        if (settings.Servers.Contains("wsdoctor") && !File.Exists(settings.WsdoctorDll))
        {
            throw new FormatException($"{settings.WsdoctorDll} does not exist (build src/Wsdoctor.Cli in Release, or pass --wsdoctor)");
        }

        if (OpenFilesLimit() is { } limit && limit < settings.IdleConnections + 256)
        {
            throw new FormatException($"the open-files limit is {limit}, too low for {settings.IdleConnections} idle connections: raise it (ulimit -n {settings.IdleConnections + 1024}) or use bench/run.sh, which does");
        }

        if ((settings.Servers.Contains(ServerCatalog.Node) || settings.Generators.Contains(GeneratorCatalog.NodeWs)) && !Directory.Exists(settings.WsModule))
        {
            throw new FormatException($"{settings.WsModule} does not exist (scripts/deps.sh runs npm ci in tests/peers)");
        }

        foreach (var (wanted, peer, how) in new[]
        {
            (settings.Servers.Contains(ServerCatalog.Gorilla) || settings.Generators.Count > 0, settings.GorillaServer, "bench/run.sh builds it from bench/peers/gorilla-echo"),
            (settings.Servers.Contains(ServerCatalog.TcpEcho), settings.TcpEchoServer, "bench/run.sh compiles it from bench/peers/tcp-echo.c"),
            (settings.Generators.Contains(GeneratorCatalog.Artillery), settings.Artillery, "bench/run.sh runs npm ci in bench/peers"),
        })
        {
            if (wanted && !File.Exists(peer))
            {
                throw new FormatException($"{peer} does not exist ({how})");
            }
        }
    }
    catch (FormatException ex)
    {
        await Console.Error.WriteLineAsync($"wsdoctor-bench: error: {ex.Message}").ConfigureAwait(false);
        return 2;
    }

    var line = "bench/run.sh" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
    Wsdoctor.Bench.Results.BenchReport report;
    try
    {
        report = await BenchRunner.RunAsync(settings, line, Console.Error, ct).ConfigureAwait(false);
    }
    catch (Exception ex) when (ex is InvalidOperationException or IOException)
    {
        // A server that cannot start or dies mid-run: say which and what it printed last.
        await Console.Error.WriteLineAsync($"wsdoctor-bench: error: {ex.Message}").ConfigureAwait(false);
        return 1;
    }

    var markdown = MarkdownReport.Render(report);
    Console.WriteLine(markdown);
    if (settings.DocFile is { } file)
    {
        Console.Error.WriteLine(DocUpdater.TryUpdate(file, markdown)
            ? $"bench: results written into {file}"
            : $"bench: {file} has no {DocUpdater.Begin} … {DocUpdater.End} markers; left unchanged");
    }

    var failed = report.Throughput.Any(r => r.Errors > 0) || report.Idle.Any(r => r.Errors > 0 || r.Established < r.Requested) || report.Generators.Any(r => r.Error is not null);
    return failed ? 1 : 0;
});

return await command.Parse(args).InvokeAsync().ConfigureAwait(false);

static IReadOnlyList<T> List<T>(string text, Func<string, T> parse) =>
    [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse)];

static Func<string, string> Known(IReadOnlyList<string> known, string what) => name =>
    known.Contains(name) ? name : throw new FormatException($"unknown {what} \"{name}\"; known: {string.Join(", ", known)}");

static int Positive(string text) =>
    int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : throw new FormatException($"\"{text}\" is not a positive whole number");

static double Require(double value, string name) =>
    value > 0 ? value : throw new FormatException($"{name} must be greater than 0");

// The same runtime as this process runs wsdoctor.dll: `dotnet test`/`dotnet run` set DOTNET_HOST_PATH, and when
// started as `dotnet wsdoctor-bench.dll` this process is the host itself.
static string DotnetHost() =>
    Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
    : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
    : "dotnet";

// The soft limit from /proc/self/limits ("Max open files  1024  4096  files"); null when unlimited or unreadable.
static long? OpenFilesLimit()
{
    var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
    var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return fields is { Length: > 0 } && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "wsdoctor.slnx")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
