using System.Globalization;
using Wsdoctor.Conform.Deflate;
using Wsdoctor.Conform.Engine;

namespace Wsdoctor.Conform.Cases;

/// <summary>One conformance case. Numbered as Autobahn|Testsuite numbers it (so <c>--cases 6.4.*</c> means what its
/// users expect); category 0 holds the handshake cases Autobahn lacks. A session case has a <see cref="Script"/>
/// that runs on an open connection in either role; a handshake case (<see cref="Handshake"/>) sends its own request
/// and only applies to servers.</summary>
public sealed class ConformCase
{
    public required string Id { get; init; }

    public required string Description { get; init; }

    public required string Expectation { get; init; }

    /// <summary>The rule the case checks, e.g. "RFC 6455 5.5: control frames are at most 125 bytes".</summary>
    public required string Rule { get; init; }

    public Func<CaseRun, Task>? Script { get; init; }

    /// <summary>A last word on the grades (e.g. Autobahn's 7.x rule that a wrong close code fails the case).</summary>
    public Func<CaseResult, CaseResult>? Adjust { get; init; }

    /// <summary>Cases 12 and 13 as client: the permessage-deflate offers sent. Null: no extension offered.</summary>
    public IReadOnlyList<DeflateOffer>? Offers { get; init; }

    /// <summary>Cases 12 and 13 as server: how a client's offer is answered.</summary>
    public IReadOnlyList<DeflateAcceptRule>? AcceptRules { get; init; }

    public Func<HandshakeProbe, Task<HandshakeVerdict>>? Handshake { get; init; }

    /// <summary>The hard limit on the whole case; a peer that stalls is cut off and graded.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Relative cost, so the runner starts the heavy cases first and the light ones fill the gaps.</summary>
    public int Weight { get; init; } = 1;

    public bool ServerOnly => Handshake is not null;

    public string Category => Id[..Id.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>"6.4" for 6.4.1; "2" for 2.1 (Autobahn's sub-categories are the id without its last part).</summary>
    public string SubCategory => Id.Count(c => c == '.') >= 2 ? Id[..Id.LastIndexOf('.')] : Category;

    public int[] SortKey => [.. Id.Split('.').Select(p => int.Parse(p, CultureInfo.InvariantCulture))];

    public static int Compare(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = int.Parse(x[i], CultureInfo.InvariantCulture).CompareTo(int.Parse(y[i], CultureInfo.InvariantCulture));
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }
}
