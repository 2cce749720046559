using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser.Rules;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser;

/// <summary>The address space a page lives in, judged from its origin: the browser uses the address the page was
/// loaded from, so an IP literal is classified directly, localhost names are loopback, and other names are resolved
/// here; a name that does not resolve here is taken to be public.</summary>
public static class PageAddressSpace
{
    private static readonly TimeSpan LookupLimit = TimeSpan.FromSeconds(2);

    public static async Task<(AddressSpace Space, Text Why)> ResolveAsync(PageOrigin page, TimeSpan stepTimeout, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(page.Host, out var literal))
        {
            var (space, block) = AddressSpaces.Classify(literal);
            return (space, block);
        }

        if (IsLocalhostName(page.Host))
        {
            return (AddressSpace.Loopback, T($"{page.Host} is a localhost name", $"{page.Host} 是 localhost 名称"));
        }

        using var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lookup.CancelAfter(stepTimeout < LookupLimit ? stepTimeout : LookupLimit);
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(page.Host, lookup.Token).ConfigureAwait(false);
            if (addresses.Length > 0)
            {
                var (space, block) = AddressSpaces.Classify(addresses[0]);
                return (space, T($"{page.Host} resolves to {addresses[0]}, {block}", $"{page.Host} 解析为 {addresses[0]}，{block}"));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The page may live where this machine cannot resolve it; a page is public unless shown otherwise.
        }

        return (AddressSpace.Public, T($"{page.Host} does not resolve here, so it is taken to be on the public internet", $"{page.Host} 在本机无法解析，因此视为位于公网"));
    }

    public static bool IsLocalhostName(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }
}
