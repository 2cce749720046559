using Wsdoctor.Findings;
using Wsdoctor.Watch.Analysis;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Tests;

/// <summary>The pattern judged from drops built by hand, the way the engine records them.</summary>
public sealed class DropPatternTests
{
    private static Drop Drop(DropKind kind, double age, double silent, bool heartbeats = false, int? closeCode = null) =>
        DropClassifier.Classify(new Drop(1, "", kind, closeCode, "", age, silent, heartbeats, heartbeats ? 5 : 0, heartbeats ? 5 : 0, 0, 0, 0, ""));

    private static Wsdoctor.Watch.Engine.WatchOptions Options(TimeSpan? ping = null) =>
        new() { Open = new Client.Opening.OpenOptions { Check = new Probes.CheckOptions { Url = "ws://127.0.0.1:1/" } }, PingInterval = ping };

    [Fact]
    public void Analyze_SixtySecondsOfSilenceEachTime_IsAnIdleTimeoutMatchingTheDefaults()
    {
        Drop[] drops = [Drop(DropKind.Fin, 60.2, 60.2), Drop(DropKind.Fin, 60.1, 60.1), Drop(DropKind.Fin, 60.3, 60.3)];

        var finding = Assert.Single(DropPattern.Analyze(drops, [], [300, 310, 290], null, Options(), TimeSpan.FromMinutes(3), 4));

        Assert.Equal(Codes.SessionIdleTimeout, finding.Code);
        Assert.Contains(finding.Evidence, e => e.Contains("nginx", StringComparison.Ordinal) && e.Contains("AWS Application Load Balancer", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("--ping-interval 30s", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_ThirtySecondsWithPings_IsALifetimeLimitOfGoogleCloud()
    {
        Drop[] drops = [Drop(DropKind.Fin, 30.1, 0.4, true), Drop(DropKind.Fin, 30.0, 0.2, true)];

        var finding = Assert.Single(DropPattern.Analyze(drops, [], [], null, Options(TimeSpan.FromSeconds(5)), TimeSpan.FromMinutes(1), 3));

        Assert.Equal(Codes.SessionLifetimeLimit, finding.Code);
        Assert.Equal("gcp-lb", finding.Data["intermediary"]);
    }

    [Fact]
    public void Analyze_DropsAtScatteredAges_IsAnAbnormalCloseWithoutPeriod()
    {
        Drop[] drops = [Drop(DropKind.Reset, 12, 0.3, true), Drop(DropKind.Fin, 95, 0.1, true), Drop(DropKind.Fin, 41, 0.5, true)];

        var finding = Assert.Single(DropPattern.Analyze(drops, [], [], null, Options(TimeSpan.FromSeconds(1)), TimeSpan.FromMinutes(3), 4));

        Assert.Equal(Codes.SessionAbnormalClose, finding.Code);
        Assert.Contains(finding.Evidence, e => e.Contains("no timeout explains them", StringComparison.Ordinal));
    }

    [Fact]
    public void Classify_CloseFrame_IsClosedByServerAndNoPongIsNoPong()
    {
        Assert.Equal(Codes.SessionClosedByServer, Drop(DropKind.Close, 5, 5, closeCode: 1001).Code);
        Assert.Equal(Codes.SessionNoPong, Drop(DropKind.NoPong, 5, 0.2, true).Code);
        Assert.Equal(Codes.SessionAbnormalClose, Drop(DropKind.Fin, 5, 0.2, true).Code);
        Assert.Equal(Codes.SessionIdleTimeout, Drop(DropKind.Fin, 5, 5).Code);
    }

    [Fact]
    public void Consistent_WithinASecondOrATenth()
    {
        Assert.True(DropPattern.Consistent([2.0, 2.4, 2.9]));
        Assert.False(DropPattern.Consistent([2.0, 3.5]));
        Assert.True(DropPattern.Consistent([300, 320]));
    }
}
