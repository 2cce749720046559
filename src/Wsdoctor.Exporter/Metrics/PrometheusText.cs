using System.Globalization;
using System.Text;

namespace Wsdoctor.Exporter.Metrics;

/// <summary>Prometheus' text exposition format (version 0.0.4): per metric family a HELP and a TYPE line, then one
/// line per sample, <c>name{label="value",...} number</c>. Label values escape backslash, double quote and line feed.
/// A family is written once, all its samples together, as the format requires.</summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder text = new();
    private readonly HashSet<string> written = new(StringComparer.Ordinal);

    public PrometheusText Family(string name, string type, string help, params (IReadOnlyList<(string Name, string Value)> Labels, double Value)[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!written.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            Sample(name, labels, value);
        }

        return this;
    }

    public PrometheusText Gauge(string name, string help, double value) => Family(name, "gauge", help, ([], value));

    /// <summary>A sample of a family already declared (histograms and summaries write _sum and _count this way).</summary>
    public PrometheusText Sample(string name, IReadOnlyList<(string Name, string Value)> labels, double value)
    {
        ArgumentNullException.ThrowIfNull(labels);
        text.Append(name);
        if (labels.Count > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Count; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
        return this;
    }

    public override string ToString() => text.ToString();

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
