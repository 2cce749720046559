namespace Wsdoctor.Lint.Nginx;

/// <summary>One word of a directive after nginx's unescaping (<c>\"</c>, <c>\'</c>, <c>\\</c>, <c>\t</c>,
/// <c>\r</c>, <c>\n</c>), with its source text as written (quotes included) for fix blocks.</summary>
/// <param name="Quote">The quote that opened it (<c>"</c> or <c>'</c>), or null for a bare word.</param>
public sealed record NginxWord(string Value, string Raw, char? Quote, SourceLocation Location)
{
    public bool IsQuoted => Quote is not null;
}
