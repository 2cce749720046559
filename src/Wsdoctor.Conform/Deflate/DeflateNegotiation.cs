namespace Wsdoctor.Conform.Deflate;

/// <summary>The two halves of a permessage-deflate negotiation (RFC 7692 5 and 7.1): judging a server's response
/// to our offers, and answering a client's offers. Problems are sentences with the RFC section, never exceptions.</summary>
public static class DeflateNegotiation
{
    public const string Name = "permessage-deflate";

    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits", "client_max_window_bits",
    };

    /// <summary>The server's Sec-WebSocket-Extensions against our offers: an agreement, null when it accepted none,
    /// or a problem that fails the handshake.</summary>
    public static (DeflateAgreement? Agreement, string? Problem) JudgeResponse(IReadOnlyList<DeflateOffer> offers, IReadOnlyList<string> responseValues)
    {
        var elements = ExtensionHeader.Parse(responseValues);
        var unknown = elements.FirstOrDefault(e => !e.Name.Equals(Name, StringComparison.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            return (null, $"the response selects extension '{unknown.Name}', which was not offered (RFC 6455 9.1: the server may only accept offered extensions)");
        }

        if (elements.Count == 0)
        {
            return (null, null);
        }

        if (elements.Count > 1)
        {
            return (null, "the response accepts permessage-deflate more than once (RFC 7692 5: a server accepts at most one offer)");
        }

        var element = elements[0];
        bool serverNoContext = false, clientNoContext = false;
        int? serverBits = null, clientBits = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in element.Parameters)
        {
            if (!Known.Contains(key))
            {
                return (null, $"the response has an unknown parameter '{key}' (RFC 7692 7: a client MUST fail the connection on one)");
            }

            if (!seen.Add(key))
            {
                return (null, $"the response repeats '{key}' (RFC 7692 7: a client MUST fail the connection on a duplicate parameter)");
            }

            switch (key.ToLowerInvariant())
            {
                case "server_no_context_takeover" or "client_no_context_takeover" when value is not null:
                    return (null, $"'{key}' has a value '{value}' (RFC 7692 7.1.1: it has none)");
                case "server_no_context_takeover":
                    serverNoContext = true;
                    break;
                case "client_no_context_takeover":
                    clientNoContext = true;
                    break;
                case "server_max_window_bits":
                    if (!ExtensionHeader.TryWindowBits(value, out var sb))
                    {
                        return (null, $"server_max_window_bits={value ?? "(no value)"} is not an integer 8-15 (RFC 7692 7.1.2.1)");
                    }

                    serverBits = sb;
                    break;
                default:
                    if (!ExtensionHeader.TryWindowBits(value, out var cb))
                    {
                        return (null, $"client_max_window_bits={value ?? "(no value)"} is not an integer 8-15 (RFC 7692 7.1.2.2: the response MUST carry a value)");
                    }

                    clientBits = cb;
                    break;
            }
        }

        // The response answers one of the offers: the first it is consistent with (RFC 7692 5.1).
        foreach (var offer in offers)
        {
            if (offer.ServerNoContextTakeover && !serverNoContext)
            {
                continue;
            }

            if (offer.ServerMaxWindowBits != 0 && (serverBits is null || serverBits > offer.ServerMaxWindowBits))
            {
                continue;
            }

            return (new DeflateAgreement(serverNoContext, clientNoContext, serverBits ?? 15, clientBits ?? 15), null);
        }

        return (null, $"the response '{element}' does not answer any offer: it ignores a requested server_no_context_takeover or server_max_window_bits (RFC 7692 7.1.1.1, 7.1.2.1)");
    }

    /// <summary>Answers a client's offers as the fuzzing server: the first valid permessage-deflate offer the rule
    /// can accept. Invalid offers are declined, as RFC 7692 5 requires.</summary>
    public static (string Response, DeflateAgreement Agreement)? Accept(IReadOnlyList<string> requestValues, DeflateAcceptRule rule)
    {
        foreach (var element in ExtensionHeader.Parse(requestValues))
        {
            if (!element.Name.Equals(Name, StringComparison.OrdinalIgnoreCase) || ParseOffer(element) is not { } offer)
            {
                continue;
            }

            if (rule.ClientMaxWindowBits != 0 && !offer.ClientMaxWindowBitsOffered)
            {
                continue;
            }

            var response = Name;
            if (offer.ServerNoContextTakeover)
            {
                response += "; server_no_context_takeover";
            }

            if (offer.ServerMaxWindowBits is { } sb)
            {
                response += $"; server_max_window_bits={sb}";
            }

            if (rule.ClientNoContextTakeover)
            {
                response += "; client_no_context_takeover";
            }

            var clientBits = 15;
            if (rule.ClientMaxWindowBits != 0)
            {
                clientBits = Math.Min(rule.ClientMaxWindowBits, offer.ClientMaxWindowBitsValue ?? 15);
                response += $"; client_max_window_bits={clientBits}";
            }
            else if (offer.ClientMaxWindowBitsValue is { } limit)
            {
                clientBits = limit;
            }

            return (response, new DeflateAgreement(offer.ServerNoContextTakeover, rule.ClientNoContextTakeover, offer.ServerMaxWindowBits ?? 15, clientBits));
        }

        return null;
    }

    private sealed record ClientOffer(bool ServerNoContextTakeover, int? ServerMaxWindowBits, bool ClientMaxWindowBitsOffered, int? ClientMaxWindowBitsValue);

    private static ClientOffer? ParseOffer(ExtensionElement element)
    {
        bool serverNoContext = false, clientBitsOffered = false;
        int? serverBits = null, clientBits = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in element.Parameters)
        {
            if (!Known.Contains(key) || !seen.Add(key))
            {
                return null;
            }

            switch (key.ToLowerInvariant())
            {
                case "server_no_context_takeover":
                    serverNoContext = true;
                    break;
                case "client_no_context_takeover":
                    break;
                case "server_max_window_bits":
                    if (!ExtensionHeader.TryWindowBits(value, out var sb))
                    {
                        return null;
                    }

                    serverBits = sb;
                    break;
                default:
                    clientBitsOffered = true;
                    if (value is not null)
                    {
                        if (!ExtensionHeader.TryWindowBits(value, out var cb))
                        {
                            return null;
                        }

                        clientBits = cb;
                    }

                    break;
            }
        }

        return new ClientOffer(serverNoContext, serverBits, clientBitsOffered, clientBits);
    }
}
