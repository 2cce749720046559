using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Model;
using static Wsdoctor.Findings.Text;
using LocalText = Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Matching;

public enum MessageKind
{
    Text,
    Binary,
}

/// <summary>What <c>expect:</c> requires of a message. Every part given must hold.</summary>
public sealed record MessageMatch
{
    /// <summary><c>type: text|binary</c>.</summary>
    public MessageKind? Kind { get; init; }

    /// <summary><c>text:</c> the whole payload, exactly.</summary>
    public Template? Text { get; init; }

    /// <summary><c>contains:</c> a substring of the payload.</summary>
    public Template? Contains { get; init; }

    /// <summary><c>regex:</c> a pattern found in the payload (anchor it with ^…$ for the whole).</summary>
    public Template? Regex { get; init; }

    /// <summary><c>json:</c> a document the payload must contain (members not mentioned are allowed) or, with
    /// <see cref="JsonExact"/>, equal.</summary>
    public JsonNode? Json { get; init; }

    public bool HasJson { get; init; }

    public bool JsonExact { get; init; }

    /// <summary><c>where:</c> tests of single values by path.</summary>
    public IReadOnlyList<JsonCondition> Where { get; init; } = [];

    /// <summary><c>binary:</c> the payload's bytes, exactly.</summary>
    public byte[]? Binary { get; init; }

    /// <summary>A one-line description for reports and labels.</summary>
    public LocalText Describe()
    {
        var parts = new List<LocalText>();
        if (Kind is { } kind)
        {
            parts.Add(kind == MessageKind.Text ? T("a text message", "一条文本消息") : T("a binary message", "一条二进制消息"));
        }

        if (Text is { } text)
        {
            parts.Add(T($"text \"{text}\"", $"文本为 \"{text}\""));
        }

        if (Contains is { } contains)
        {
            parts.Add(T($"containing \"{contains}\"", $"包含 \"{contains}\""));
        }

        if (Regex is { } regex)
        {
            parts.Add(T($"matching /{regex}/", $"匹配 /{regex}/"));
        }

        if (HasJson)
        {
            parts.Add(JsonExact ? T($"JSON equal to {JsonValues.Show(Json, 120)}", $"JSON 等于 {JsonValues.Show(Json, 120)}") : T($"JSON containing {JsonValues.Show(Json, 120)}", $"JSON 包含 {JsonValues.Show(Json, 120)}"));
        }

        parts.AddRange(Where.Select(c => c.Describe()));
        if (Binary is { } binary)
        {
            var hex = $"{Convert.ToHexString(binary, 0, Math.Min(16, binary.Length)).ToLowerInvariant()}{(binary.Length > 16 ? "…" : "")}";
            parts.Add(T($"{binary.Length} bytes {hex}", $"{binary.Length} 字节 {hex}"));
        }

        return parts.Count == 0 ? T("any message", "任意消息") : Join(T(", ", "，"), parts);
    }
}

/// <summary>The verdict on one message: empty <see cref="Problems"/> means it matched.</summary>
public sealed record MatchResult(IReadOnlyList<LocalText> Problems)
{
    public bool Matched => Problems.Count == 0;
}

/// <summary>Tests a message against a <see cref="MessageMatch"/>, with variables for its templates.</summary>
public static class MessageMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static MatchResult Check(MessageMatch match, ReceivedMessage message, Variables variables)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(variables);
        var problems = new List<LocalText>();
        if (match.Kind is { } kind && (kind == MessageKind.Text) != message.IsText)
        {
            problems.Add(message.IsText ? T("a text message arrived, not binary", "收到的是文本消息，不是二进制消息") : T("a binary message arrived, not text", "收到的是二进制消息，不是文本消息"));
        }

        if (match.Text is { } text)
        {
            var wanted = variables.Render(text);
            if (!string.Equals(message.Text, wanted, StringComparison.Ordinal))
            {
                problems.Add(T($"the text differs: expected \"{Cut(wanted)}\"", $"文本不一致：期望 \"{Cut(wanted)}\""));
            }
        }

        if (match.Contains is { } contains)
        {
            var wanted = variables.Render(contains);
            if (!message.Text.Contains(wanted, StringComparison.Ordinal))
            {
                problems.Add(T($"\"{Cut(wanted)}\" does not occur in it", $"消息中没有 \"{Cut(wanted)}\""));
            }
        }

        if (match.Regex is { } regex)
        {
            var pattern = new Regex(variables.Render(regex, System.Text.RegularExpressions.Regex.Escape), RegexOptions.CultureInvariant, RegexTimeout);
            if (!JsonCondition.Matches(pattern, message.Text))
            {
                problems.Add(T($"it does not match /{pattern}/", $"消息不匹配 /{pattern}/"));
            }
        }

        if (match.HasJson || match.Where.Count > 0)
        {
            var (parsed, node, error) = message.Json;
            if (!parsed)
            {
                problems.Add(T($"it is not JSON ({error})", $"消息不是 JSON（{error}）"));
            }
            else
            {
                if (match.HasJson)
                {
                    var expected = variables.RenderJson(match.Json);
                    problems.AddRange(JsonValues.Differences(expected, node, subset: !match.JsonExact));
                }

                foreach (var condition in match.Where)
                {
                    var rendered = condition with { Expected = variables.RenderJson(condition.Expected) };
                    if (rendered.Check(node) is { } found)
                    {
                        problems.Add(T($"{condition.Describe()} does not hold: {found}", $"{condition.Describe()} 不成立：{found}"));
                    }
                }
            }
        }

        if (match.Binary is { } binary && !binary.AsSpan().SequenceEqual(message.Data))
        {
            problems.Add(binary.Length == message.Data.Length
                ? T($"the bytes differ from offset {FirstDifference(binary, message.Data)}", $"从偏移 {FirstDifference(binary, message.Data)} 开始字节不一致")
                : T($"{message.Data.Length} bytes arrived, expected {binary.Length}", $"收到 {message.Data.Length} 字节，期望 {binary.Length} 字节"));
        }

        return new MatchResult(problems);
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static string Cut(string text) => text.Length <= 120 ? text : $"{text[..120]}…";
}
