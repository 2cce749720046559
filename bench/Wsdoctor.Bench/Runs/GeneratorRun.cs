using System.Diagnostics;
using System.Globalization;
using Wsdoctor.Bench.Generators;
using Wsdoctor.Bench.Results;
using Wsdoctor.Bench.Sampling;
using Wsdoctor.Bench.Servers;

namespace Wsdoctor.Bench.Runs;

/// <summary>One load generator against the fixed server (gorilla): the generator runs in its own process group;
/// once the server has echoed its first message and the warm-up has passed, the generator's CPU time (all its
/// processes, /proc) and the server's own count of echoed messages (GET /messages) are read at both edges of the
/// measured window. The server's count is the same for every generator, whatever each reports of itself.</summary>
public static class GeneratorRun
{
    private static readonly TimeSpan FirstMessageTimeout = TimeSpan.FromSeconds(60);

    public static async Task<GeneratorRow> RunAsync(
        string name, ServerProcess server, HttpClient http, int connections, int bytes, BenchSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(http);
        var counter = new Uri(new Uri($"http://{server.Url.Authority}/"), "messages");
        var directory = Directory.CreateTempSubdirectory("wsdoctor-bench-gen-").FullName;
        // Long enough for the slowest start (tsung, artillery) plus warm-up and window; the bench stops it first.
        var seconds = (int)Math.Ceiling(FirstMessageTimeout.TotalSeconds + settings.WarmUpSeconds + settings.DurationSeconds + 30);
        var (command, environment) = GeneratorCatalog.Command(name, settings, server.Url, connections, bytes, seconds, directory);
        try
        {
            using var generator = GeneratorProcess.Start(name, command, environment, directory);
            var baseline = await CountAsync(http, counter, ct).ConfigureAwait(false);
            var waited = Stopwatch.StartNew();
            // Bounded: at most FirstMessageTimeout, polled every 100 ms.
            while (await CountAsync(http, counter, ct).ConfigureAwait(false) == baseline)
            {
                if (generator.HasExited || waited.Elapsed > FirstMessageTimeout)
                {
                    return Failed(name, connections, bytes, $"{(generator.HasExited ? "exited" : "sent nothing within " + FirstMessageTimeout.TotalSeconds + " s")}; last output:\n  {generator.LastOutput()}");
                }

                await Task.Delay(100, ct).ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromSeconds(settings.WarmUpSeconds + 1), ct).ConfigureAwait(false);
            var (gen0, _) = generator.Cpu();
            var server0 = ProcessSample.Read(server.Pid).CpuSeconds;
            var machine0 = MachineCpu.BusySeconds();
            var count0 = await CountAsync(http, counter, ct).ConfigureAwait(false);
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(settings.DurationSeconds), ct).ConfigureAwait(false);
            var count1 = await CountAsync(http, counter, ct).ConfigureAwait(false);
            var elapsed = window.Elapsed.TotalSeconds;
            var (gen1, processes) = generator.Cpu();
            var server1 = ProcessSample.Read(server.Pid).CpuSeconds;
            var machine1 = MachineCpu.BusySeconds();
            if (generator.HasExited)
            {
                return Failed(name, connections, bytes, $"exited during the measured window; last output:\n  {generator.LastOutput()}");
            }

            var messages = count1 - count0;
            var genCpu = gen1 - gen0;
            var serverCpu = server1 - server0;
            double Percent(double cpu) => elapsed > 0 ? Math.Max(0, cpu) / elapsed * 100 : 0;
            return new GeneratorRow(
                name,
                connections,
                bytes,
                elapsed,
                messages,
                elapsed > 0 ? messages / elapsed : 0,
                messages > 0 ? genCpu * 1e6 / messages : 0,
                Percent(genCpu),
                Percent(serverCpu),
                // The bench process itself only sleeps here; what is left is the rest of the machine.
                Percent(machine1 - machine0 - genCpu - serverCpu),
                processes,
                messages > 0 ? null : "no message echoed in the measured window");
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A log file still open by a process being reaped; the temp folder is left.
            }
        }
    }

    private static GeneratorRow Failed(string name, int connections, int bytes, string error) =>
        new(name, connections, bytes, 0, 0, 0, 0, 0, 0, 0, 0, error);

    private static async Task<long> CountAsync(HttpClient http, Uri counter, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var text = await http.GetStringAsync(counter, cts.Token).ConfigureAwait(false);
        return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
}
