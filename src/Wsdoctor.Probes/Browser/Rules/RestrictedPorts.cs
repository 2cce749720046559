using System.Collections.Frozen;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser.Rules;

/// <summary>Which browsers refuse a port outright, before any packet is sent (browser.unsafe-port).</summary>
public sealed record PortVerdict(int Port, bool BlockedByChromium, bool BlockedByFetchStandard, string? Service)
{
    /// <summary>Firefox follows the Fetch standard's list (netwerk/base/nsIOService.cpp gBadPortList).</summary>
    public bool BlockedByFirefox => BlockedByFetchStandard;

    public bool BlockedAnywhere => BlockedByChromium || BlockedByFetchStandard;

    /// <summary>"Chromium and Firefox", "Firefox (not Chromium)", ...</summary>
    public Text Browsers => (BlockedByChromium, BlockedByFetchStandard) switch
    {
        (true, true) => T("Chromium (Chrome, Edge, Opera, Brave) and Firefox; Safari follows the same Fetch list", "Chromium（Chrome、Edge、Opera、Brave）和 Firefox；Safari 也遵循同一份 Fetch 列表"),
        (true, false) => T("Chromium (Chrome, Edge, Opera, Brave), not Firefox", "Chromium（Chrome、Edge、Opera、Brave），不包括 Firefox"),
        (false, true) => T("Firefox (and the Fetch standard, which Safari follows), not Chromium", "Firefox（以及 Safari 遵循的 Fetch 标准），不包括 Chromium"),
        _ => T("no browser", "没有浏览器"),
    };
}

/// <summary>The restricted ("bad") port lists, kept as data with their sources. Both lists exist to stop pages from
/// being used for cross-protocol attacks on mail, IRC, X11, NFS or SIP servers; WebSocket connections are requests
/// like any other, so they are refused too (Chromium: net::ERR_UNSAFE_PORT).</summary>
public static class RestrictedPorts
{
    /// <summary>Chromium's kRestrictedPorts, net/base/port_util.cc (main as of Chromium 156, checked against the
    /// Debian build 156.0.8078 by the browser tests).</summary>
    public static readonly FrozenDictionary<int, string> Chromium = new Dictionary<int, string>
    {
        [1] = "tcpmux", [7] = "echo", [9] = "discard", [11] = "systat", [13] = "daytime", [15] = "netstat",
        [17] = "qotd", [19] = "chargen", [20] = "ftp data", [21] = "ftp", [22] = "ssh", [23] = "telnet",
        [25] = "smtp", [37] = "time", [42] = "name", [43] = "nicname", [53] = "domain", [69] = "tftp",
        [77] = "priv-rjs", [79] = "finger", [87] = "ttylink", [95] = "supdup", [101] = "hostname",
        [102] = "iso-tsap", [103] = "gppitnp", [104] = "acr-nema", [109] = "pop2", [110] = "pop3",
        [111] = "sunrpc", [113] = "auth", [115] = "sftp", [117] = "uucp-path", [119] = "nntp", [123] = "ntp",
        [135] = "epmap", [137] = "netbios", [139] = "netbios", [143] = "imap", [161] = "snmp", [179] = "bgp",
        [389] = "ldap", [427] = "slp", [465] = "smtp over TLS", [512] = "exec", [513] = "login", [514] = "shell",
        [515] = "printer", [526] = "tempo", [530] = "courier", [531] = "chat", [532] = "netnews", [540] = "uucp",
        [548] = "afp", [554] = "rtsp", [556] = "remotefs", [563] = "nntp over TLS", [587] = "smtp submission",
        [601] = "syslog-conn", [636] = "ldap over TLS", [989] = "ftps data", [990] = "ftps", [993] = "imap over TLS",
        [995] = "pop3 over TLS", [1719] = "h323 gatekeeper", [1720] = "h323 call", [1723] = "pptp", [2049] = "nfs",
        [3659] = "apple-sasl", [4045] = "lockd", [5060] = "sip", [5061] = "sip over TLS", [6000] = "X11",
        [6566] = "sane", [6665] = "irc", [6666] = "irc", [6667] = "irc", [6668] = "irc", [6669] = "irc",
        [6697] = "irc over TLS", [10080] = "amanda",
    }.ToFrozenDictionary();

    /// <summary>The Fetch standard's bad ports (https://fetch.spec.whatwg.org/#bad-port, as of July 2026): Chromium's
    /// list plus 0, 4190 (sieve) and 6679 (osaut).</summary>
    public static readonly FrozenDictionary<int, string> FetchStandard = Chromium
        .Concat([new KeyValuePair<int, string>(0, "reserved"), new(4190, "sieve"), new(6679, "osaut")])
        .ToFrozenDictionary();

    public static PortVerdict Check(int port)
    {
        var chromium = Chromium.TryGetValue(port, out var service);
        var fetch = FetchStandard.TryGetValue(port, out var fetchService);
        return new PortVerdict(port, chromium, fetch, service ?? fetchService);
    }
}
