using Wsdoctor.Bench.Results;
using Wsdoctor.Bench.Sampling;
using Wsdoctor.Bench.Servers;
using Wsdoctor.Load.Connections;
using Wsdoctor.Load.Echo;

namespace Wsdoctor.Bench.Runs;

/// <summary>One closed-loop echo run against a running server, with the server's and the load generator's CPU
/// time sampled exactly at the edges of the measured window.</summary>
public static class ThroughputRun
{
    public static async Task<ThroughputRow> RunAsync(ServerProcess server, int connections, int messageBytes, BenchSettings settings, CancellationToken ct)
    {
        var self = Environment.ProcessId;
        double server0 = 0, server1 = 0, self0 = 0, self1 = 0, machine0 = 0, machine1 = 0;
        var options = new EchoLoadOptions
        {
            Connections = connections,
            MessageBytes = messageBytes,
            WarmUp = TimeSpan.FromSeconds(settings.WarmUpSeconds),
            Duration = TimeSpan.FromSeconds(settings.DurationSeconds),
            PhaseChanged = phase =>
            {
                if (phase == LoadPhase.Measuring)
                {
                    (server0, self0, machine0) = (ProcessSample.Read(server.Pid).CpuSeconds, ProcessSample.Read(self).CpuSeconds, MachineCpu.BusySeconds());
                }
                else if (phase == LoadPhase.Stopped)
                {
                    (server1, self1, machine1) = (ProcessSample.Read(server.Pid).CpuSeconds, ProcessSample.Read(self).CpuSeconds, MachineCpu.BusySeconds());
                }
            },
        };

        var result = await EchoLoad.RunAsync(new LoadTarget(server.Url), options, ct).ConfigureAwait(false);
        var seconds = result.MeasuredSeconds;
        double Percent(double cpu) => seconds > 0 ? Math.Max(0, cpu) / seconds * 100 : 0;
        var serverCpu = server1 - server0;
        var selfCpu = self1 - self0;
        return new ThroughputRow(
            server.Name,
            connections,
            messageBytes,
            result.ConnectionsOpened,
            seconds,
            result.Messages,
            result.MessagesPerSecond,
            result.MegabytesPerSecond,
            result.LatencyMicroseconds,
            result.Messages > 0 ? serverCpu * 1e6 / result.Messages : 0,
            Percent(serverCpu),
            Percent(selfCpu),
            Percent(machine1 - machine0 - serverCpu - selfCpu),
            result.VerifiedEchoes,
            result.Errors + (result.DeadlineExceeded ? 1 : 0),
            result.DeadlineExceeded ? [.. result.ErrorSamples, "run deadline exceeded"] : result.ErrorSamples);
    }
}
