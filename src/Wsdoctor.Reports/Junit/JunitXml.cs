using System.Globalization;
using System.Text;
using System.Xml;

namespace Wsdoctor.Reports.Junit;

/// <summary>A failed test case: <paramref name="Message"/> is the one line CI systems show, <paramref name="Body"/>
/// the detail under it.</summary>
public sealed record JunitFailure(string Message, string Type, string Body);

/// <summary>One testcase; <paramref name="Skipped"/> holds the reason when it did not run.</summary>
public sealed record JunitCase(string Name, string ClassName, TimeSpan Time)
{
    public string? File { get; init; }
    public int? Line { get; init; }
    public JunitFailure? Failure { get; init; }
    public string? Skipped { get; init; }
    public string? SystemOut { get; init; }
}

public sealed record JunitSuite(string Name, TimeSpan Time, IReadOnlyList<JunitCase> Cases)
{
    public string? SystemOut { get; init; }
}

/// <summary>The JUnit XML that CI systems (GitHub Actions reporters, GitLab, Jenkins, Azure Pipelines) read, in the
/// Jenkins/Ant shape: testsuites, testsuite, testcase with failure, skipped and system-out. Written by
/// <c>wsdoctor test</c> and <c>wsdoctor check</c>; tests/Wsdoctor.Reports.Tests/schemas/junit.xsd is the shape.</summary>
public static class JunitXml
{
    public static string Render(string name, IReadOnlyList<JunitSuite> suites, TimeSpan elapsed, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(suites);
        var timestamp = startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(new StringWriterUtf8(text), settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", Clean(name));
            writer.WriteAttributeString("tests", Count(suites.Sum(s => s.Cases.Count)));
            writer.WriteAttributeString("failures", Count(suites.Sum(s => s.Cases.Count(c => c.Failure is not null))));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("time", Seconds(elapsed));
            writer.WriteAttributeString("timestamp", timestamp);
            foreach (var suite in suites)
            {
                writer.WriteStartElement("testsuite");
                writer.WriteAttributeString("name", Clean(suite.Name));
                writer.WriteAttributeString("tests", Count(suite.Cases.Count));
                writer.WriteAttributeString("failures", Count(suite.Cases.Count(c => c.Failure is not null)));
                writer.WriteAttributeString("errors", "0");
                writer.WriteAttributeString("skipped", Count(suite.Cases.Count(c => c.Skipped is not null)));
                writer.WriteAttributeString("time", Seconds(suite.Time));
                writer.WriteAttributeString("timestamp", timestamp);
                foreach (var testCase in suite.Cases)
                {
                    WriteCase(writer, testCase);
                }

                WriteText(writer, "system-out", suite.SystemOut);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return text.ToString();
    }

    private static void WriteCase(XmlWriter writer, JunitCase testCase)
    {
        writer.WriteStartElement("testcase");
        writer.WriteAttributeString("name", Clean(testCase.Name));
        writer.WriteAttributeString("classname", Clean(testCase.ClassName));
        if (testCase.File is { } file)
        {
            writer.WriteAttributeString("file", Clean(file));
        }

        if (testCase.Line is { } line)
        {
            writer.WriteAttributeString("line", Count(line));
        }

        writer.WriteAttributeString("time", Seconds(testCase.Time));
        if (testCase.Skipped is { } reason)
        {
            writer.WriteStartElement("skipped");
            writer.WriteAttributeString("message", Clean(reason));
            writer.WriteEndElement();
        }

        if (testCase.Failure is { } failure)
        {
            writer.WriteStartElement("failure");
            writer.WriteAttributeString("message", Clean(failure.Message));
            writer.WriteAttributeString("type", Clean(failure.Type));
            writer.WriteString(Clean(failure.Body));
            writer.WriteEndElement();
        }

        WriteText(writer, "system-out", testCase.SystemOut);
        writer.WriteEndElement();
    }

    private static void WriteText(XmlWriter writer, string element, string? text)
    {
        if (text is null)
        {
            return;
        }

        writer.WriteStartElement(element);
        writer.WriteString(Clean(text));
        writer.WriteEndElement();
    }

    /// <summary>XML 1.0 cannot carry most control characters, even escaped; a server's message may hold them.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD');
        }

        return builder.ToString();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class StringWriterUtf8(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
