namespace Wsdoctor.Lint.Snippets;

/// <summary>An Envoy v3 bootstrap: WebSockets need <c>upgrade_configs: websocket</c> on the HTTP connection manager,
/// a route <c>timeout: 0s</c> (the default 15s ends every upgraded stream) and stream_idle_timeout above the
/// heartbeat (default 5m) (https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/upgrades).</summary>
public static class EnvoySnippet
{
    public static Snippet Render(SnippetOptions o)
    {
        var (upHost, upPort) = o.UpstreamParts;
        var (listenHost, listenPort) = o.ListenParts;
        var idle = $"{(long)o.TunnelTimeout.TotalSeconds}s";
        var clusterType = System.Net.IPAddress.TryParse(upHost, out _) ? "STATIC" : "STRICT_DNS";
        // transport_socket belongs to the filter chain, beside "filters" (10 columns in).
        const string In = "          ";
        var tls = o.Tls
            ? $"\n{In}transport_socket:\n"
              + $"{In}  name: envoy.transport_sockets.tls\n"
              + $"{In}  typed_config:\n"
              + $"{In}    \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext\n"
              + $"{In}    common_tls_context:\n"
              + $"{In}      # The full chain (leaf + intermediates), never cert.pem alone.\n"
              + $"{In}      tls_certificates:\n"
              + $"{In}        - certificate_chain: {{ filename: {o.FullChain} }}\n"
              + $"{In}          private_key: {{ filename: {o.PrivateKey} }}"
            : "";
        var text = $$"""
            # envoy.yaml: WebSocket reverse proxy for {{o.ServerName}}{{o.Path}} -> {{o.Upstream}} (wsdoctor snippet envoy).
            # A complete bootstrap: envoy --mode validate -c envoy.yaml
            static_resources:
              listeners:
                - name: websocket
                  address:
                    socket_address: { address: {{listenHost ?? "0.0.0.0"}}, port_value: {{listenPort}} }
                  filter_chains:
                    - filters:
                        - name: envoy.filters.network.http_connection_manager
                          typed_config:
                            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                            stat_prefix: websocket
                            # Without this Envoy refuses the upgrade (the client gets 403 or 404 depending on the version).
                            upgrade_configs:
                              - upgrade_type: websocket
                            # Silence this long ends a stream (default 5m): far above the {{DurationFormat.Format(o.Heartbeat)}} heartbeat.
                            stream_idle_timeout: {{idle}}
                            route_config:
                              name: websocket
                              virtual_hosts:
                                - name: websocket
                                  domains: ["{{o.ServerName}}", "{{o.ServerName}}:*"]
                                  routes:
                                    - match: { prefix: "{{o.Path}}" }
                                      route:
                                        cluster: websocket_app
                                        # 0s: no limit. The default 15s would end every WebSocket after 15s.
                                        timeout: 0s
                                        idle_timeout: {{idle}}
                            http_filters:
                              - name: envoy.filters.http.router
                                typed_config:
                                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router{{tls}}
              clusters:
                - name: websocket_app
                  type: {{clusterType}}
                  connect_timeout: 5s
                  load_assignment:
                    cluster_name: websocket_app
                    endpoints:
                      - lb_endpoints:
                          - endpoint:
                              address:
                                socket_address: { address: {{upHost}}, port_value: {{upPort}} }

            """;
        return new Snippet("envoy.yaml", text, "envoy --mode validate -c envoy.yaml (not installed here: structure checked only)");
    }
}
