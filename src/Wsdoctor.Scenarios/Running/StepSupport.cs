using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;
using static Wsdoctor.Findings.Text;
using Capture = Wsdoctor.Scenarios.Model.Capture;

namespace Wsdoctor.Scenarios.Running;

/// <summary>What a step does that does not depend on how the connection is held: the bytes a send puts on the
/// wire, and the values a capture takes. Shared by <c>test</c>'s runner and bench's scenario driver.</summary>
internal static class StepSupport
{
    /// <summary>The message of a send step, with its templates filled in (the send counter moves first).</summary>
    public static (WebSocketMessageType Type, byte[] Data) Render(Payload payload, Variables variables)
    {
        variables.NextSeq();
        return payload switch
        {
            TextPayload text => (WebSocketMessageType.Text, Encoding.UTF8.GetBytes(variables.Render(text.Text))),
            JsonPayload json => (WebSocketMessageType.Text, Encoding.UTF8.GetBytes(variables.RenderJson(json.Document)?.ToJsonString() ?? "null")),
            BinaryPayload binary => (WebSocketMessageType.Binary, binary.Data),
            _ => throw new InvalidOperationException("unknown payload"),
        };
    }

    /// <summary>Sets each captured variable from <paramref name="message"/>; on the first that cannot be taken,
    /// returns why (nothing after it is set). <paramref name="taken"/> lists what was set, for the report.</summary>
    public static StepFailure? Apply(IReadOnlyList<Capture> captures, ReceivedMessage message, Variables variables, List<string> taken)
    {
        foreach (var capture in captures)
        {
            if (capture.Path is { } path)
            {
                var (parsed, node, error) = message.Json;
                if (!parsed)
                {
                    return new StepFailure(FailureKind.Variable, T($"capture {capture.Variable}: the message is not JSON ({error})", $"capture {capture.Variable}：消息不是 JSON（{error}）")) { Actual = message.Show() };
                }

                var (found, value) = path.Evaluate(node);
                if (!found)
                {
                    return new StepFailure(FailureKind.Variable, T($"capture {capture.Variable}: {path} is not in the message", $"capture {capture.Variable}：消息中没有 {path}")) { Actual = message.Show() };
                }

                variables.Set(capture.Variable, value);
                taken.Add($"{capture.Variable}={JsonValues.Show(value, 40)}");
            }
            else
            {
                var match = capture.Pattern!.Match(message.Text);
                if (!match.Success)
                {
                    return new StepFailure(FailureKind.Variable, T($"capture {capture.Variable}: /{capture.Pattern}/ does not match the message", $"capture {capture.Variable}：/{capture.Pattern}/ 与消息不匹配")) { Actual = message.Show() };
                }

                var text = match.Groups.Count > 1 ? match.Groups[1].Value : match.Value;
                variables.Set(capture.Variable, JsonValue.Create(text));
                taken.Add($"{capture.Variable}=\"{(text.Length > 40 ? text[..40] + "…" : text)}\"");
            }
        }

        return null;
    }

    /// <summary>The values of a call's <c>with:</c>: a single placeholder keeps its JSON type.</summary>
    public static Dictionary<string, JsonNode?> With(CallStep step, Variables variables)
    {
        var with = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, template) in step.With)
        {
            with[name] = template.IsSinglePlaceholder ? variables.Get(template.Names[0]) : JsonValue.Create(variables.Render(template));
        }

        return with;
    }
}
