using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Conform.Cases;

/// <summary>Every case, in Autobahn's order (handshake cases first), and the selection by <c>--cases</c> and
/// <c>--exclude</c> patterns, which match case ids the way Autobahn's config does (fnmatch: <c>*</c> is any text,
/// so <c>6.4.*</c> is 6.4.1-6.4.4 and <c>1.*</c> does not take 10.1.1).</summary>
public static class CaseTable
{
    private static readonly Lazy<IReadOnlyList<ConformCase>> Cases = new(Build);

    private static readonly Dictionary<string, string> CategoryNames = new()
    {
        ["0"] = "Handshake",
        ["1"] = "Framing",
        ["2"] = "Pings/Pongs",
        ["3"] = "Reserved Bits",
        ["4"] = "Opcodes",
        ["5"] = "Fragmentation",
        ["6"] = "UTF-8 Handling",
        ["7"] = "Close Handling",
        ["9"] = "Limits/Performance",
        ["10"] = "Auto-Fragmentation",
        ["12"] = "WebSocket Compression (different payloads)",
        ["13"] = "WebSocket Compression (different parameters)",
    };

    public static IReadOnlyList<ConformCase> All => Cases.Value;

    public static string CategoryName(string category) => CategoryNames.GetValueOrDefault(category, "Misc");

    private static readonly Dictionary<string, string> CategoryNamesZh = new()
    {
        ["0"] = "握手",
        ["1"] = "帧",
        ["2"] = "Ping/Pong",
        ["3"] = "保留位",
        ["4"] = "操作码",
        ["5"] = "分片",
        ["6"] = "UTF-8 处理",
        ["7"] = "关闭处理",
        ["9"] = "限制与性能",
        ["10"] = "自动分片",
        ["12"] = "WebSocket 压缩（不同负载）",
        ["13"] = "WebSocket 压缩（不同参数）",
    };

    /// <summary>The category's name in both languages (the reports keep Autobahn's English <see cref="CategoryName"/>).</summary>
    public static Text CategoryTitle(string category) =>
        T(CategoryName(category), CategoryNamesZh.GetValueOrDefault(category, "其他"));

    /// <summary>The cases for a role: handshake cases only test servers.</summary>
    public static IReadOnlyList<ConformCase> For(bool testingServer) => [.. All.Where(c => testingServer || !c.ServerOnly)];

    /// <summary>Null patterns mean all. Throws <see cref="CasePatternException"/> for a pattern that selects nothing.</summary>
    public static IReadOnlyList<ConformCase> Select(IReadOnlyList<ConformCase> cases, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude)
    {
        var included = include is { Count: > 0 } ? Matcher(include, cases) : _ => true;
        var excluded = exclude is { Count: > 0 } ? Matcher(exclude, cases) : _ => false;
        return [.. cases.Where(c => included(c.Id) && !excluded(c.Id))];
    }

    private static Func<string, bool> Matcher(IReadOnlyList<string> patterns, IReadOnlyList<ConformCase> cases)
    {
        var regexes = new List<Regex>();
        foreach (var pattern in patterns.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!pattern.All(c => char.IsAsciiDigit(c) || c is '.' or '*' or '?'))
            {
                throw new CasePatternException(T($"'{pattern}' is not a case pattern such as 1.*, 6.4.* or 7.7.1", $"“{pattern}”不是用例模式（应形如 1.*、6.4.* 或 7.7.1）"));
            }

            var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
            if (!cases.Any(c => regex.IsMatch(c.Id)))
            {
                var (from, to) = (cases[0].Id, cases[^1].Id);
                throw new CasePatternException(T($"no case matches '{pattern}' (cases run from {from} to {to})", $"没有用例匹配“{pattern}”（用例编号从 {from} 到 {to}）"));
            }

            regexes.Add(regex);
        }

        return id => regexes.Any(r => r.IsMatch(id));
    }

    private static List<ConformCase> Build()
    {
        var all = new List<ConformCase>();
        all.AddRange(HandshakeCases.Build());
        all.AddRange(FramingCases.Build());
        all.AddRange(PingPongCases.Build());
        all.AddRange(ReservedBitsCases.Build());
        all.AddRange(OpcodeCases.Build());
        all.AddRange(FragmentationCases.Build());
        all.AddRange(Utf8Cases.Build());
        all.AddRange(CloseCases.Build());
        all.AddRange(LimitsCases.Build());
        all.AddRange(CompressionCases.Build());
        all.Sort((a, b) => ConformCase.Compare(a.Id, b.Id));
        return all;
    }
}

/// <summary>A --cases/--exclude pattern that is malformed or selects nothing; <see cref="Text"/> says which.</summary>
public sealed class CasePatternException(Text text) : ArgumentException(text?.En)
{
    public Text Text { get; } = text ?? throw new ArgumentNullException(nameof(text));
}
