namespace Wsdoctor.Lint.Haproxy;

/// <summary>One configuration line split into words, with the line as written (for fix blocks).</summary>
public sealed record HaproxyLine(IReadOnlyList<string> Words, string Text, SourceLocation Location)
{
    public string Keyword => Words[0];

    public string Arg(int index) => index + 1 < Words.Count ? Words[index + 1] : "";

    public bool Is(string keyword) => string.Equals(Keyword, keyword, StringComparison.Ordinal);

    /// <summary><c>timeout tunnel 1h</c> is the timeout named "tunnel".</summary>
    public bool IsTimeout(string name) => Is("timeout") && Arg(0) == name;
}
