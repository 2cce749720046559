using System.Text.RegularExpressions;

namespace Wsdoctor.Cli;

/// <summary>System.CommandLine's parse errors in Chinese. Its own resources are not used (the UI culture stays
/// invariant, so the JIT build and the native binary, which has no satellite resources, say the same), so its English
/// messages are matched here; one that is not known is quoted as it is.</summary>
public static partial class ParseErrorText
{
    private static readonly (Regex English, Func<Func<int, string>, string> Chinese)[] Messages =
    [
        (UnrecognizedRegex(), g => $"无法识别的命令或参数 '{g(1)}'"),
        (OptionArgumentMissingRegex(), g => $"选项 '{g(1)}' 缺少参数"),
        (CommandArgumentMissingRegex(), g => $"命令 '{g(2)}' 缺少参数 '{g(1)}'"),
        (SingleArgumentRegex(), g => $"选项 '{g(1)}' 只接受一个参数，却给了 {g(2)} 个"),
        (OptionTypeRegex(), g => $"选项 '{g(2)}' 的参数 '{g(1)}' 不是{TypeName(g(3))}{Suggestions(g(4))}"),
        (CommandTypeRegex(), g => $"命令 '{g(2)}' 的参数 '{g(1)}' 不是{TypeName(g(3))}{Suggestions(g(4))}"),
        (TypeRegex(), g => $"参数 '{g(1)}' 不是{TypeName(g(2))}"),
        (NotOneOfRegex(), g => $"无法识别参数 '{g(1)}'，可选值为：{OneLine(g(2))}"),
        (NotMatchedRegex(), g => $"'{g(1)}' 不匹配任何命令或选项{Suggestions(g(2))}"),
        (OptionRequiredRegex(), g => $"必须提供选项 '{g(1)}'"),
        (ResponseFileRegex(), g => $"找不到响应文件 '{g(1)}'"),
        (FileMissingRegex(), g => $"文件不存在：'{g(1)}'"),
        (DirectoryMissingRegex(), g => $"目录不存在：'{g(1)}'"),
        (CommandMissingRegex(), _ => "没有给出所需的命令"),
    ];

    /// <summary>The Chinese of one of System.CommandLine's English parse errors (its final full stop dropped).</summary>
    public static string Chinese(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        var message = english.TrimEnd('.');
        foreach (var (pattern, chinese) in Messages)
        {
            var match = pattern.Match(message);
            if (match.Success)
            {
                return chinese(i => match.Groups[i].Value);
            }
        }

        return $"“{message}”";
    }

    /// <summary>What a .NET type name means to the user: 整数 for System.Int32 or a nullable one, and so on.</summary>
    private static string TypeName(string type)
    {
        var inner = NullableRegex().Match(type) is { Success: true } nullable ? nullable.Groups[1].Value : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" or "System.UInt16" or "System.Int16" or "System.Byte" => "整数",
            "System.Double" or "System.Single" or "System.Decimal" => "数字",
            "System.Boolean" => " true 或 false",
            "System.TimeSpan" => "时长",
            _ => $" {inner} 类型的值",
        };
    }

    [GeneratedRegex(@"^System\.Nullable`1\[(.*)\]$")]
    private static partial Regex NullableRegex();

    private static string Suggestions(string list) => OneLine(list) is { Length: > 0 } names ? $"；你是不是想用：{names}" : "";

    /// <summary>A list System.CommandLine appends ("\n\t'a'\n\t'b'") on one line: 'a'、'b'.</summary>
    private static string OneLine(string list) =>
        string.Join("、", list.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex UnrecognizedRegex();

    [GeneratedRegex(@"^Required argument missing for option: '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex OptionArgumentMissingRegex();

    [GeneratedRegex(@"^Required argument '(.*)' missing for command: '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex CommandArgumentMissingRegex();

    [GeneratedRegex(@"^Option '(.*)' expects a single argument but (\d+) were provided$", RegexOptions.Singleline)]
    private static partial Regex SingleArgumentRegex();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*?)'\.?(?: Did you mean one of the following\?)?(.*)$", RegexOptions.Singleline)]
    private static partial Regex OptionTypeRegex();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for command '(.*)' as expected type '(.*?)'\.?(?: Did you mean one of the following\?)?(.*)$", RegexOptions.Singleline)]
    private static partial Regex CommandTypeRegex();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' as expected type '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex TypeRegex();

    [GeneratedRegex(@"^Argument '(.*)' not recognized\. Must be one of:(.*)$", RegexOptions.Singleline)]
    private static partial Regex NotOneOfRegex();

    [GeneratedRegex(@"^'(.*)' was not matched\. Did you mean one of the following\?(.*)$", RegexOptions.Singleline)]
    private static partial Regex NotMatchedRegex();

    [GeneratedRegex(@"^Option '(.*)' is required$", RegexOptions.Singleline)]
    private static partial Regex OptionRequiredRegex();

    [GeneratedRegex(@"^Response file not found '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex ResponseFileRegex();

    [GeneratedRegex(@"^File does not exist: '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex FileMissingRegex();

    [GeneratedRegex(@"^Directory does not exist: '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex DirectoryMissingRegex();

    [GeneratedRegex(@"^Required command was not provided$", RegexOptions.Singleline)]
    private static partial Regex CommandMissingRegex();
}
