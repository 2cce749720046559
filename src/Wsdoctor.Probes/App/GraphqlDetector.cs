using System.Globalization;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Probes.App;

/// <summary>GraphQL over WebSocket: one connection per subprotocol (graphql-transport-ws, then the legacy graphql-ws)
/// sending connection_init; a connection_ack, or a refusal with the protocol's own close code, proves which one the
/// server speaks.</summary>
internal sealed class GraphqlDetector : IAppDetector
{
    private static readonly string[] Subprotocols = [GraphqlWs.TransportWs, GraphqlWs.LegacyWs];

    public string Name => "GraphQL";

    public bool Hinted(AppSignals s) =>
        s.PathHas("graphql") || Subprotocols.Any(s.Negotiated)
        || s.Session?.Close is { Code: { } code } && GraphqlWs.CloseCodes.ContainsKey(code)
        || s.TextMessages.Select(GraphqlWs.TypeOf).Any(t => t is "connection_ack" or "ka");

    public async Task<Finding?> ConfirmAsync(AppSignals s, AppProbes probes, bool followUps)
    {
        if (!followUps)
        {
            return null;
        }

        var evidence = new List<string> { s.DescribeAnswer() };
        if (s.DescribeEnd() is { } end)
        {
            evidence.Add(s.Session?.Close is { Code: { } code } && GraphqlWs.CloseCodes.TryGetValue(code, out var meaning)
                ? $"{end}: graphql-transport-ws {code} {meaning}"
                : s.Session?.Close is { Code: 1002 } ? $"{end}: subscriptions-transport-ws closes a connection whose subprotocol is not graphql-ws with 1002" : end);
        }

        var spoken = new List<string>();
        foreach (var subprotocol in Subprotocols)
        {
            var answer = await probes.WebSocketAsync(s.Target.PathAndQuery, [subprotocol], Opcode.Text, Encoding.UTF8.GetBytes(GraphqlWs.ConnectionInit)).ConfigureAwait(false);
            if (answer is null)
            {
                continue;
            }

            evidence.Add(answer.Describe($"offering {subprotocol} and sending connection_init"));
            if (Speaks(answer, subprotocol))
            {
                spoken.Add(subprotocol);
            }
        }

        if (spoken.Count == 0)
        {
            return null;
        }

        var server = spoken[0];
        var clientRight = s.Selected is { } selected && spoken.Contains(selected, StringComparer.Ordinal);
        var offeredOther = s.Offered.FirstOrDefault(o => Subprotocols.Contains(o, StringComparer.Ordinal) && !spoken.Contains(o, StringComparer.Ordinal));
        var explains = s.Failed && !clientRight;
        var message = clientRight
            ? $"GraphQL over WebSocket, subprotocol {s.Selected} ({Library(s.Selected!)})"
            : offeredOther is not null
                ? $"the client speaks {Describe(offeredOther)}, the server speaks {Describe(server)}"
                : $"the GraphQL server needs the subprotocol {server}; the client offered {(s.Offered.Count == 0 ? "none" : string.Join(", ", s.Offered))}";
        var fix = server == GraphqlWs.TransportWs
            ? "Offer graphql-transport-ws: use graphql-ws's client, createClient({ url: \"" + AppFindings.Url(s, s.Target.PathAndQuery) + "\" }) (Apollo Client: GraphQLWsLink), or new WebSocket(url, \"graphql-transport-ws\") and send connection_init, then subscribe. subscriptions-transport-ws clients (subprotocol graphql-ws) cannot talk to this server."
            : "This server speaks the legacy protocol: offer graphql-ws with a subscriptions-transport-ws client (Apollo's WebSocketLink), or move the server to graphql-ws (subprotocol graphql-transport-ws) and use createClient from graphql-ws.";
        if (spoken.Count == 2)
        {
            fix = $"The server speaks both; offer one of them: {string.Join(" or ", spoken)}.";
        }

        return Finding.Create(Codes.AppGraphql, message, evidence, fix, new Dictionary<string, object?>
        {
            ["protocol"] = "graphql",
            ["serverSubprotocols"] = spoken.ToArray(),
            ["offered"] = s.Offered.ToArray(),
            ["closeCode"] = s.Session?.Close?.Code,
        }, AppFindings.SeverityFor(explains, clientRight));
    }

    /// <summary>Acknowledged, or refused in the protocol's own words (4401/4403 close, legacy connection_error): the
    /// server speaks it. 4406 and 1002 are its way of saying it does not.</summary>
    private static bool Speaks(WsAnswer answer, string subprotocol)
    {
        if (!answer.Upgraded || !string.Equals(answer.Selected, subprotocol, StringComparison.Ordinal))
        {
            return false;
        }

        var type = answer.FirstText is { } text ? GraphqlWs.TypeOf(text) : null;
        if (type is "connection_ack" or "ka" || (subprotocol == GraphqlWs.LegacyWs && type == "connection_error"))
        {
            return true;
        }

        return subprotocol == GraphqlWs.TransportWs && answer.Close is { Code: { } code } && code is >= 4400 and < 4500 and not 4406;
    }

    private static string Describe(string subprotocol) => subprotocol == GraphqlWs.TransportWs
        ? "graphql-transport-ws (the graphql-ws library)"
        : "the legacy graphql-ws protocol (subscriptions-transport-ws)";

    private static string Library(string subprotocol) => subprotocol == GraphqlWs.TransportWs ? "graphql-ws" : "subscriptions-transport-ws, legacy";

    public static string CloseMeaning(int code) =>
        GraphqlWs.CloseCodes.TryGetValue(code, out var meaning) ? meaning : code.ToString(CultureInfo.InvariantCulture);
}
