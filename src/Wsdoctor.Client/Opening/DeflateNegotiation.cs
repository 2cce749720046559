using System.Globalization;
using System.Net.WebSockets;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.Opening;

/// <summary>The permessage-deflate offer we send and the server's answer turned into runtime options (RFC 7692 7.1).</summary>
public static class DeflateNegotiation
{
    /// <summary>client_max_window_bits without a value tells the server it may pick any window for our side.</summary>
    public const string Offer = "permessage-deflate; client_max_window_bits";

    /// <summary>Null when the server did not accept permessage-deflate; an error text when its parameters are invalid.</summary>
    public static (WebSocketDeflateOptions? Options, Text? Error) FromResponse(string? extensionsHeader)
    {
        if (extensionsHeader is null)
        {
            return (null, null);
        }

        foreach (var extension in extensionsHeader.Split(','))
        {
            var parts = extension.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !parts[0].Equals("permessage-deflate", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var options = new WebSocketDeflateOptions();
            foreach (var parameter in parts[1..])
            {
                var eq = parameter.IndexOf('=', StringComparison.Ordinal);
                var name = (eq < 0 ? parameter : parameter[..eq]).Trim().ToLowerInvariant();
                var value = eq < 0 ? null : parameter[(eq + 1)..].Trim().Trim('"');
                switch (name)
                {
                    case "server_no_context_takeover":
                        options.ServerContextTakeover = false;
                        break;
                    case "client_no_context_takeover":
                        options.ClientContextTakeover = false;
                        break;
                    case "server_max_window_bits" when Bits(value) is { } bits:
                        options.ServerMaxWindowBits = bits;
                        break;
                    case "client_max_window_bits" when Bits(value) is { } bits:
                        options.ClientMaxWindowBits = bits;
                        break;
                    default:
                        return (null, Text.T($"the server answered permessage-deflate with a parameter RFC 7692 7.1 does not allow: '{parameter}'", $"服务端回应的 permessage-deflate 带有 RFC 7692 7.1 不允许的参数：'{parameter}'"));
                }
            }

            return (options, null);
        }

        return (null, null);
    }

    // RFC 7692 7.1.2: 8-15; the runtime's zlib accepts 9-15, and 8 is widened to 9 by zlib itself.
    private static int? Bits(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 8 and <= 15 ? Math.Max(bits, 9) : null;
}
