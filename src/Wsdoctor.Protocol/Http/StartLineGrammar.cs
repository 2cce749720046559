namespace Wsdoctor.Protocol.Http;

/// <summary>The part of a head parser that differs between requests and responses: the first line.
/// <see cref="HeadReader"/> owns everything after it.</summary>
internal abstract class StartLineGrammar
{
    /// <summary>"response head" or "request head", for error sentences.</summary>
    public abstract string HeadName { get; }

    /// <summary>How many leading bytes of an unfinished start line can still begin a valid one. Lets the
    /// reader reject a TLS record or an HTTP/2 frame at its first byte instead of waiting for a newline
    /// that may never come.</summary>
    public abstract int PlausiblePrefixLength(ReadOnlySpan<byte> startLineSoFar);

    /// <summary>The sentence used when <see cref="PlausiblePrefixLength"/> rejects the stream's first bytes.</summary>
    public abstract string ImplausiblePrefixProblem { get; }

    /// <summary>Parses the complete start line (without its line ending) and remembers its parts;
    /// returns the problem, or null when the line is valid.</summary>
    public abstract string? Parse(ReadOnlySpan<byte> line);
}
