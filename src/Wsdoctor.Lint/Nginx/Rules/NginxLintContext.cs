using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>A location judged to carry WebSocket traffic, and why.</summary>
public sealed record WebSocketLocation(NginxServer Server, NginxLocation Location, Text Reason)
{
    public Text Evidence => T(
        $"{Location.Title} at {Location.Directive.Location} carries WebSocket traffic: {Reason}",
        $"{Location.Title}（{Location.Directive.Location}）承载 WebSocket 流量：{Reason}");
}

/// <summary>What every rule reads: the model, the options, the WebSocket locations, and where notes go.</summary>
public sealed class NginxLintContext(NginxModel model, NginxLintOptions options, IReadOnlyList<WebSocketLocation> webSockets)
{
    public NginxModel Model { get; } = model;

    public NginxLintOptions Options { get; } = options;

    public IReadOnlyList<WebSocketLocation> WebSockets { get; } = webSockets;

    public List<LintNote> Notes { get; } = [];

    /// <summary>A finding at a directive, with the catalogue's fix unless a specific one is given.</summary>
    public static LintFinding At(
        string code,
        NginxDirective directive,
        Text message,
        IEnumerable<Text> evidence,
        Text? fixBlock,
        Text? fix = null,
        Severity? severity = null,
        IReadOnlyDictionary<string, object?>? data = null) =>
        LintFinding.Create(code, directive.Location, directive.Text, message, evidence, fixBlock, data ?? new Dictionary<string, object?>(), fix, severity);
}
