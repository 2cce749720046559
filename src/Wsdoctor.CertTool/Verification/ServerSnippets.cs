namespace Wsdoctor.CertTool.Verification;

/// <summary>The lines that load a certificate file and its key in the servers people put in front of WebSockets.
/// The paths are absolute: the lines are meant to be pasted.</summary>
public static class ServerSnippets
{
    public static IReadOnlyList<(string Server, IReadOnlyList<string> Lines)> For(string chainFile, string keyFile)
    {
        var chain = Path.GetFullPath(chainFile);
        var key = Path.GetFullPath(keyFile);
        return
        [
            ("nginx", [$"ssl_certificate     {chain};", $"ssl_certificate_key {key};"]),
            ("Node", [$"const server = https.createServer({{ cert: fs.readFileSync('{Js(chain)}'), key: fs.readFileSync('{Js(key)}') }});",
                      "const wss = new WebSocketServer({ server });   // ws"]),
            ("Python", ["context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)", $"context.load_cert_chain('{Py(chain)}', '{Py(key)}')",
                        "websockets.serve(handler, host, port, ssl=context)"]),
        ];
    }

    private static string Js(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    private static string Py(string path) => Js(path);
}
