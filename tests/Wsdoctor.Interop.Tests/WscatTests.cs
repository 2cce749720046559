using Wsdoctor.Interop.Tests.Drivers;

namespace Wsdoctor.Interop.Tests;

/// <summary>wscat used the way its README shows: <c>wscat -c URL -x MESSAGE</c>, plus --ca, -H, -o and -s.</summary>
public sealed class WscatTests
{
    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Execute_PrintsTheEcho(Transport transport)
    {
        await using var serve = await Serve.StartAsync(transport);

        var run = await Wscat.ExecuteAsync(serve.Url, "hello from wscat", serve.Ca is null ? [] : ["--ca", serve.Ca]);

        Assert.True(run.Received.SequenceEqual(["hello from wscat"]), run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [SkippableFact]
    public async Task WssWithoutTheCa_IsRefusedByWscat()
    {
        // The control for the test above: the dev CA is not trusted by default, so --ca is what made it work.
        await using var serve = await Serve.StartAsync(Transport.Wss);

        var run = await Wscat.ExecuteAsync(serve.Url, "hello");

        Assert.Empty(run.Received);
        Assert.True(run.ExitCode != 0 && run.Stderr.Contains("certificate", StringComparison.OrdinalIgnoreCase), run.ToString());
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Subprotocol_IsSelectedAndLogged(Transport transport)
    {
        await using var serve = await Serve.StartAsync(transport, "--subprotocol", "chat.v2");

        var run = await Wscat.ExecuteAsync(serve.Url, "hi", [.. CaOption(serve), "-s", "chat.v2"]);

        Assert.True(run.Received.SequenceEqual(["hi"]), run.ToString());
        var accept = await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(20));
        Assert.True(accept["subprotocol"] == "chat.v2", $"{accept}\n{serve}");
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task ForeignOrigin_IsRefusedWith403(Transport transport)
    {
        await using var serve = await Serve.StartAsync(transport);

        var run = await Wscat.ExecuteAsync(serve.Url, "hi", [.. CaOption(serve), "-o", "https://evil.invalid"]);

        Assert.Empty(run.Received);
        Assert.True(run.ExitCode != 0 && run.Stderr.Contains("Unexpected server response: 403", StringComparison.Ordinal), run.ToString());
        var reject = await serve.WaitForEventAsync("reject", TimeSpan.FromSeconds(20));
        Assert.Equal("403", reject["status"]);
    }

    private static string[] CaOption(Serve serve) => serve.Ca is null ? [] : ["--ca", serve.Ca];
}
