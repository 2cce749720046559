namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>One line of `wsdoctor serve`'s text log (logfmt: <c>key=value</c>, values with spaces "quoted").</summary>
public sealed record ServeLogLine(string Raw, IReadOnlyDictionary<string, string> Fields)
{
    public string Event => Fields.TryGetValue("event", out var value) ? value : "";

    public string? this[string key] => Fields.TryGetValue(key, out var value) ? value : null;

    public static ServeLogLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var span = line.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            while (i < span.Length && span[i] == ' ')
            {
                i++;
            }

            var keyStart = i;
            while (i < span.Length && span[i] is not ('=' or ' '))
            {
                i++;
            }

            var key = span[keyStart..i].ToString();
            if (i >= span.Length || span[i] != '=')
            {
                if (key.Length > 0)
                {
                    fields[key] = "";
                }

                continue;
            }

            i++;
            if (i < span.Length && span[i] == '"')
            {
                var value = new System.Text.StringBuilder();
                for (i++; i < span.Length && span[i] != '"'; i++)
                {
                    if (span[i] == '\\' && i + 1 < span.Length)
                    {
                        i++;
                    }

                    value.Append(span[i]);
                }

                i++;
                fields[key] = value.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < span.Length && span[i] != ' ')
                {
                    i++;
                }

                fields[key] = span[valueStart..i].ToString();
            }
        }

        return new ServeLogLine(line, fields);
    }

    public override string ToString() => Raw;
}
