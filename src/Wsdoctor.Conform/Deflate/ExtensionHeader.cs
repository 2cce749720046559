using System.Globalization;

namespace Wsdoctor.Conform.Deflate;

/// <summary>One element of a Sec-WebSocket-Extensions list (RFC 6455 9.1): a name and its parameters.</summary>
public sealed record ExtensionElement(string Name, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    public override string ToString() =>
        string.Join("; ", new[] { Name }.Concat(Parameters.Select(p => p.Value is null ? p.Key : $"{p.Key}={p.Value}")));
}

/// <summary>Parses <c>Sec-WebSocket-Extensions</c> (RFC 6455 9.1 grammar: comma-separated elements, each
/// <c>name *(";" param[=value])</c>, values possibly quoted). All header lines are passed in order.</summary>
public static class ExtensionHeader
{
    public static List<ExtensionElement> Parse(IEnumerable<string> values)
    {
        var elements = new List<ExtensionElement>();
        foreach (var value in values)
        {
            foreach (var element in value.Split(','))
            {
                var parts = element.Split(';');
                var name = parts[0].Trim();
                if (name.Length == 0)
                {
                    continue;
                }

                var parameters = new List<KeyValuePair<string, string?>>();
                foreach (var part in parts.Skip(1))
                {
                    var equals = part.IndexOf('=', StringComparison.Ordinal);
                    var key = (equals < 0 ? part : part[..equals]).Trim();
                    string? parameterValue = equals < 0 ? null : part[(equals + 1)..].Trim().Trim('"');
                    parameters.Add(new(key, parameterValue));
                }

                elements.Add(new ExtensionElement(name, parameters));
            }
        }

        return elements;
    }

    internal static bool TryWindowBits(string? value, out int bits) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits is >= 8 and <= 15 && value!.Length <= 2;
}
