using System.Globalization;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>GraphQL over WebSocket: one connection per subprotocol (graphql-transport-ws, then the legacy graphql-ws)
/// sending connection_init; a connection_ack, or a refusal with the protocol's own close code, proves which one the
/// server speaks.</summary>
internal sealed class GraphqlDetector : IAppDetector
{
    private static readonly string[] Subprotocols = [GraphqlWs.TransportWs, GraphqlWs.LegacyWs];

    /// <summary>The Chinese of <see cref="GraphqlWs.CloseCodes"/>: what follows the code's name.</summary>
    private static readonly Dictionary<int, string> CloseCodesZh = new()
    {
        [4400] = "服务端无法解析或不期望的消息",
        [4401] = "在 connection_ack 之前发送了 subscribe",
        [4403] = "connection_init 被拒绝（凭据放在 connectionParams 中）",
        [4406] = "客户端没有选择 graphql-transport-ws",
        [4408] = "没有及时发送 connection_init",
        [4409] = "复用了仍在运行中的操作 id",
        [4429] = "connection_init 发送了两次",
        [4499] = "客户端的连接被终止",
        [4500] = "服务端内部错误",
    };

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

        var evidence = new List<Text> { s.DescribeAnswer() };
        if (s.DescribeEnd() is { } end)
        {
            evidence.Add(s.Session?.Close is { Code: { } code } && GraphqlWs.CloseCodes.ContainsKey(code)
                ? T($"{end}: graphql-transport-ws {code} {CloseMeaning(code)}", $"{end}：graphql-transport-ws {code} {CloseMeaning(code)}")
                : s.Session?.Close is { Code: 1002 } ? T($"{end}: subscriptions-transport-ws closes a connection whose subprotocol is not graphql-ws with 1002", $"{end}：subscriptions-transport-ws 会以 1002 关闭子协议不是 graphql-ws 的连接") : end);
        }

        var spoken = new List<string>();
        foreach (var subprotocol in Subprotocols)
        {
            var answer = await probes.WebSocketAsync(s.Target.PathAndQuery, [subprotocol], Opcode.Text, Encoding.UTF8.GetBytes(GraphqlWs.ConnectionInit)).ConfigureAwait(false);
            if (answer is null)
            {
                continue;
            }

            evidence.Add(answer.Describe(T($"offering {subprotocol} and sending connection_init", $"提供 {subprotocol} 并发送 connection_init")));
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
        Text message;
        if (clientRight)
        {
            var library = Library(s.Selected!);
            message = T($"GraphQL over WebSocket, subprotocol {s.Selected} ({library})", $"GraphQL over WebSocket，子协议 {s.Selected}（{library}）");
        }
        else if (offeredOther is not null)
        {
            var client = Describe(offeredOther);
            var spokenByServer = Describe(server);
            message = T($"the client speaks {client}, the server speaks {spokenByServer}", $"客户端使用 {client}，服务端使用 {spokenByServer}");
        }
        else
        {
            var offered = s.Offered.Count == 0 ? T("none", "无") : Verbatim(string.Join(", ", s.Offered));
            message = T($"the GraphQL server needs the subprotocol {server}; the client offered {offered}", $"GraphQL 服务端需要子协议 {server}；客户端提供的子协议：{offered}");
        }

        var url = AppFindings.Url(s, s.Target.PathAndQuery);
        var fix = server == GraphqlWs.TransportWs
            ? T("Offer graphql-transport-ws: use graphql-ws's client, createClient({ url: \"" + url + "\" }) (Apollo Client: GraphQLWsLink), or new WebSocket(url, \"graphql-transport-ws\") and send connection_init, then subscribe. subscriptions-transport-ws clients (subprotocol graphql-ws) cannot talk to this server.",
                $"提供子协议 graphql-transport-ws：使用 graphql-ws 的客户端 createClient({{ url: \"{url}\" }})（Apollo Client 中为 GraphQLWsLink），或者 new WebSocket(url, \"graphql-transport-ws\") 并先发送 connection_init，再订阅。subscriptions-transport-ws 客户端（子协议 graphql-ws）无法与这个服务端通信。")
            : T("This server speaks the legacy protocol: offer graphql-ws with a subscriptions-transport-ws client (Apollo's WebSocketLink), or move the server to graphql-ws (subprotocol graphql-transport-ws) and use createClient from graphql-ws.",
                "这个服务端使用旧版协议：用 subscriptions-transport-ws 客户端（Apollo 的 WebSocketLink）提供子协议 graphql-ws，或者把服务端迁移到 graphql-ws（子协议 graphql-transport-ws）并使用 graphql-ws 的 createClient。");
        if (spoken.Count == 2)
        {
            var either = Text.Join(T(" or ", " 或 "), spoken.Select(Verbatim));
            fix = T($"The server speaks both; offer one of them: {either}.", $"服务端两种都支持，提供其中一个即可：{either}。");
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

    private static Text Describe(string subprotocol) => subprotocol == GraphqlWs.TransportWs
        ? T("graphql-transport-ws (the graphql-ws library)", "graphql-transport-ws（graphql-ws 库）")
        : T("the legacy graphql-ws protocol (subscriptions-transport-ws)", "旧版 graphql-ws 协议（subscriptions-transport-ws）");

    private static Text Library(string subprotocol) => subprotocol == GraphqlWs.TransportWs ? Verbatim("graphql-ws") : T("subscriptions-transport-ws, legacy", "subscriptions-transport-ws，旧版");

    /// <summary>What a graphql-transport-ws close code means: its name (verbatim) and the explanation.</summary>
    public static Text CloseMeaning(int code)
    {
        if (!GraphqlWs.CloseCodes.TryGetValue(code, out var meaning))
        {
            return Verbatim(code.ToString(CultureInfo.InvariantCulture));
        }

        var colon = meaning.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? meaning : meaning[..colon];
        return CloseCodesZh.TryGetValue(code, out var zh) ? T(meaning, $"{name}：{zh}") : Verbatim(meaning);
    }
}
