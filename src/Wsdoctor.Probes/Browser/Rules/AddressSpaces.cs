using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser.Rules;

/// <summary>Local Network Access address spaces (WICG Local Network Access, "IP Address Space"): the order is
/// from most to least private, so a smaller value is "less public".</summary>
public enum AddressSpace
{
    Loopback,
    Local,
    Public,
}

/// <summary>The "Non-public IP address blocks" table of the Local Network Access specification
/// (https://wicg.github.io/local-network-access/#non-public-ip-address-blocks, April 2026), which Chromium
/// implements in services/network/public/cpp/ip_address_space_util.cc.</summary>
public static class AddressSpaces
{
    private sealed record Block(IPNetwork Network, Text Name, AddressSpace Space);

    // Order matters: 0.0.0.0/32 is loopback but the rest of 0.0.0.0/8 is local.
    private static readonly Block[] Blocks =
    [
        new(IPNetwork.Parse("127.0.0.0/8"), T("IPv4 loopback (RFC 1122)", "IPv4 回环地址（RFC 1122）"), AddressSpace.Loopback),
        new(IPNetwork.Parse("10.0.0.0/8"), T("private use (RFC 1918)", "私有地址（RFC 1918）"), AddressSpace.Local),
        new(IPNetwork.Parse("100.64.0.0/10"), T("carrier-grade NAT (RFC 6598)", "运营商级 NAT 地址（RFC 6598）"), AddressSpace.Local),
        new(IPNetwork.Parse("172.16.0.0/12"), T("private use (RFC 1918)", "私有地址（RFC 1918）"), AddressSpace.Local),
        new(IPNetwork.Parse("192.168.0.0/16"), T("private use (RFC 1918)", "私有地址（RFC 1918）"), AddressSpace.Local),
        new(IPNetwork.Parse("198.18.0.0/15"), T("benchmarking (RFC 2544)", "基准测试地址（RFC 2544）"), AddressSpace.Loopback),
        new(IPNetwork.Parse("169.254.0.0/16"), T("link-local (RFC 3927)", "链路本地地址（RFC 3927）"), AddressSpace.Local),
        new(IPNetwork.Parse("::1/128"), T("IPv6 loopback (RFC 4291)", "IPv6 回环地址（RFC 4291）"), AddressSpace.Loopback),
        new(IPNetwork.Parse("fc00::/7"), T("unique local (RFC 4193)", "唯一本地地址（RFC 4193）"), AddressSpace.Local),
        new(IPNetwork.Parse("fe80::/10"), T("link-local unicast (RFC 4291)", "链路本地单播地址（RFC 4291）"), AddressSpace.Local),
        new(IPNetwork.Parse("fec0::/10"), T("site-local unicast (RFC 3513)", "站点本地单播地址（RFC 3513）"), AddressSpace.Local),
        new(IPNetwork.Parse("0.0.0.0/32"), T("IPv4 null address", "IPv4 空地址"), AddressSpace.Loopback),
        new(IPNetwork.Parse("0.0.0.0/8"), T("IPv4 \"this network\"", "IPv4 的“本网络”地址"), AddressSpace.Local),
        new(IPNetwork.Parse("::/128"), T("IPv6 unspecified address", "IPv6 未指定地址"), AddressSpace.Loopback),
        new(IPNetwork.Parse("2001:db8::/32"), T("IPv6 documentation (RFC 3849)", "IPv6 文档地址（RFC 3849）"), AddressSpace.Local),
        new(IPNetwork.Parse("3fff::/20"), T("IPv6 documentation (RFC 9637)", "IPv6 文档地址（RFC 9637）"), AddressSpace.Local),
    ];

    public static AddressSpace Of(IPAddress address) => Classify(address).Space;

    /// <summary>The space and the block that put the address there ("public" when no block matches).</summary>
    public static (AddressSpace Space, Text Block) Classify(IPAddress address)
    {
        // IPv4-mapped addresses (::ffff:0:0/96) are judged by the IPv4 address they carry.
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var block in Blocks)
        {
            if (block.Network.BaseAddress.AddressFamily == address.AddressFamily && block.Network.Contains(address))
            {
                return (block.Space, T($"{block.Network} {block.Name}", $"{block.Network} {block.Name}"));
            }
        }

        return (AddressSpace.Public, T("public address", "公网地址"));
    }

    /// <summary>True when a request from <paramref name="page"/> to <paramref name="target"/> is a local network
    /// request: the target is less public than the page.</summary>
    public static bool IsLocalNetworkRequest(AddressSpace page, AddressSpace target) => target < page;

    public static string Name(this AddressSpace space) => space switch
    {
        AddressSpace.Loopback => "loopback",
        AddressSpace.Local => "local",
        _ => "public",
    };

    /// <summary>The space's name for a text: <see cref="Name"/> in English, a Chinese word in Chinese.</summary>
    public static Text Label(this AddressSpace space) => space switch
    {
        AddressSpace.Loopback => T("loopback", "回环"),
        AddressSpace.Local => T("local", "本地"),
        _ => T("public", "公网"),
    };
}
