using Wsdoctor.Lint.Snippets;
using YamlDotNet.RepresentationModel;

namespace Wsdoctor.Lint.Tests.Snippets;

/// <summary>Traefik and Envoy are not installable here: their snippets are parsed as YAML and the settings that make
/// WebSockets work are looked up in the tree (not validated by the programs themselves).</summary>
public sealed class SnippetYamlTests
{
    private static List<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlNode Path(YamlNode node, params object[] steps)
    {
        foreach (var step in steps)
        {
            node = step is int i ? ((YamlSequenceNode)node).Children[i] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Envoy_UpgradeConfigsRouteTimeoutZeroAndCluster(bool tls)
    {
        var doc = Documents(Wsdoctor.Lint.Snippets.Snippets.For("envoy", SnippetOptions.Default with { Tls = tls })!.Text).Single();
        var chain = Path(doc, "static_resources", "listeners", 0, "filter_chains", 0);
        var hcm = Path(chain, "filters", 0, "typed_config");

        Assert.Equal("websocket", Path(hcm, "upgrade_configs", 0, "upgrade_type").ToString());
        Assert.Equal("0s", Path(hcm, "route_config", "virtual_hosts", 0, "routes", 0, "route", "timeout").ToString());
        Assert.Equal("/ws", Path(hcm, "route_config", "virtual_hosts", 0, "routes", 0, "match", "prefix").ToString());
        Assert.Equal("8080", Path(doc, "static_resources", "clusters", 0, "load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "socket_address", "port_value").ToString());
        Assert.Equal(tls, ((YamlMappingNode)chain).Children.ContainsKey(new YamlScalarNode("transport_socket")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Traefik_StaticAndDynamicDocuments(bool tls)
    {
        var docs = Documents(Wsdoctor.Lint.Snippets.Snippets.For("traefik", SnippetOptions.Default with { Tls = tls })!.Text);

        Assert.Equal(2, docs.Count);
        Assert.Equal("0s", Path(docs[0], "entryPoints", "websocket", "transport", "respondingTimeouts", "readTimeout").ToString());
        Assert.Equal("Host(`example.com`) && PathPrefix(`/ws`)", Path(docs[1], "http", "routers", "websocket", "rule").ToString());
        Assert.Equal("http://127.0.0.1:8080", Path(docs[1], "http", "services", "websocket-app", "loadBalancer", "servers", 0, "url").ToString());
        Assert.Equal(tls, docs[1].Children.ContainsKey(new YamlScalarNode("tls")));
    }
}
