using Wsdoctor.Client.Reconnect;

namespace Wsdoctor.Client.Tests.Reconnect;

public sealed class BackoffPolicyTests
{
    [Fact]
    public void Cap_DoublesFromBase_UpToMaxDelay()
    {
        var policy = new BackoffPolicy(10, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), new Random(1));

        Assert.Equal([500, 1000, 2000, 4000, 5000, 5000], Enumerable.Range(1, 6).Select(a => policy.Cap(a).TotalMilliseconds));
    }

    [Fact]
    public void DelayBefore_FullJitter_WithinZeroAndCap_NullAfterMaxAttempts()
    {
        var policy = new BackoffPolicy(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(42));

        var delays = Enumerable.Range(1, 8).Select(a => policy.DelayBefore(a)!.Value).ToArray();

        Assert.All(delays.Select((d, i) => (d, cap: policy.Cap(i + 1))), x => Assert.InRange(x.d, TimeSpan.Zero, x.cap));
        Assert.True(delays.Distinct().Count() > 1, "jitter must vary the delays");
        Assert.Null(policy.DelayBefore(9));
    }

    [Fact]
    public void DelayBefore_SameSeed_SameSequence()
    {
        var a = new BackoffPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3), new Random(9));
        var b = new BackoffPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3), new Random(9));

        Assert.Equal(Enumerable.Range(1, 5).Select(a.DelayBefore), Enumerable.Range(1, 5).Select(b.DelayBefore));
    }

    [Fact]
    public void Cap_HugeAttempt_DoesNotOverflow()
    {
        var policy = new BackoffPolicy(1000, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(1));

        Assert.Equal(TimeSpan.FromSeconds(30), policy.Cap(1000));
    }
}
