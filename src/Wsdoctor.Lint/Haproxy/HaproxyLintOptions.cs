namespace Wsdoctor.Lint.Haproxy;

/// <summary>What <c>wsdoctor lint haproxy</c> was told: the application's heartbeat interval, if known.</summary>
public sealed record HaproxyLintOptions(TimeSpan? Heartbeat);
