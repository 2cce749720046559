namespace Wsdoctor.Load.Connections;

/// <summary>Asks the runtime to run socket continuations on its epoll threads instead of handing each one to the
/// thread pool. A closed loop's continuation is short and never blocks (verify the echo, record the latency, send
/// the next message, post the next receive), so the hand-off is pure cost: measured with `bench/run.sh`'s generator
/// comparison it was most of the engine's CPU per message (docs/performance.md). The runtime reads
/// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS once, when the process's first asynchronous socket operation
/// starts its socket engine, so this only takes effect when called before that; it is a decision for a whole
/// process, so the entry points make it (wsdoctor bench, the benchmark), not the engine: a process that also
/// hosts a server (the tests) keeps the default. An explicit setting by the user is left as it is.</summary>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void PreferInline()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
