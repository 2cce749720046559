using Wsdoctor.Findings;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Loading;

/// <summary>Where a YAML file's shape goes beyond what a config needs, and with it beyond what YamlDotNet's
/// representation model survives: an alias inside the node it names (the model's hash of a recursive mapping key
/// overflows the stack, which no catch can stop), collections nested deeper than <see cref="MaxDepth"/>
/// (its parser slows down with every open level), or aliases that expand to more than <see cref="MaxNodes"/> nodes
/// (a "billion laughs" file that every reader of the tree would walk in full).</summary>
public sealed record YamlShapeProblem(Mark At, Text Reason);

/// <summary>A first pass over a YAML file's parse events, before it is loaded into a tree; see
/// <see cref="YamlShapeProblem"/>. Syntax errors are left to the loader, which reports them with its own words.</summary>
public static class YamlShape
{
    public const int MaxDepth = 64;
    public const long MaxNodes = 100_000;

    /// <summary>The first problem with the shape of what <paramref name="parser"/> reads, or null; the parser is
    /// used up either way.</summary>
    /// <exception cref="YamlException">The text is not valid YAML (YamlDotNet also throws
    /// <see cref="InvalidOperationException"/> and <see cref="ArgumentException"/> for some malformed input).</exception>
    public static YamlShapeProblem? Check(IParser parser)
    {
        ArgumentNullException.ThrowIfNull(parser);
        // Each anchor's size in nodes once its node is complete, aliases inside it counted in full.
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new List<(string? Anchor, long NodesBefore)>();
        long nodes = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    var name = alias.Value.Value;
                    if (open.Exists(o => o.Anchor == name))
                    {
                        return new YamlShapeProblem(alias.Start, T(
                            $"the alias *{name} is inside the node &{name} it refers to (a recursive alias)",
                            $"别名 *{name} 位于它所引用的节点 &{name} 之内（递归别名）"));
                    }

                    // YAML requires the anchor first; YamlDotNet's model resolves a later one anyway and can build a cycle
                    // from it (then overflows the stack comparing alias nodes).
                    if (!sizes.TryGetValue(name, out var size))
                    {
                        return new YamlShapeProblem(alias.Start, T(
                            $"the alias *{name} comes before its anchor &{name} (an alias must follow the node it names)",
                            $"别名 *{name} 出现在锚点 &{name} 之前（别名必须写在它所引用的节点之后）"));
                    }

                    nodes += size;
                    break;
                case Scalar scalar:
                    nodes++;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        sizes[scalar.Anchor.Value] = 1;
                    }

                    break;
                case MappingStart or SequenceStart:
                    var start = (NodeEvent)parser.Current;
                    open.Add((start.Anchor.IsEmpty ? null : start.Anchor.Value, nodes));
                    nodes++;
                    if (open.Count > MaxDepth)
                    {
                        return new YamlShapeProblem(start.Start, T(
                            $"collections nested deeper than {MaxDepth} levels",
                            $"集合嵌套超过 {MaxDepth} 层"));
                    }

                    break;
                case MappingEnd or SequenceEnd when open.Count > 0:
                    var (anchor, before) = open[^1];
                    open.RemoveAt(open.Count - 1);
                    if (anchor is not null)
                    {
                        sizes[anchor] = nodes - before;
                    }

                    break;
            }

            if (nodes > MaxNodes)
            {
                return new YamlShapeProblem(parser.Current!.Start, T(
                    $"the file expands to more than {MaxNodes} nodes (are aliases repeating large anchors?)",
                    $"文件展开后超过 {MaxNodes} 个节点（是不是别名在反复引用很大的锚点？）"));
            }
        }

        return null;
    }
}
