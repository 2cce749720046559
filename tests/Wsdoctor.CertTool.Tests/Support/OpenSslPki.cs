namespace Wsdoctor.CertTool.Tests.Support;

/// <summary>A root → intermediate hierarchy made by OpenSSL itself, as an admin or a small CA would: the root by
/// <c>openssl req -x509</c>, the intermediate by <c>openssl ca</c>, leaves by <c>openssl x509 -req</c> with an
/// extension file. Nothing of wsdoctor's issuance is involved, so the tests judge certificates wsdoctor did not make.</summary>
public sealed class OpenSslPki : IDisposable
{
    private OpenSslPki(string directory) => Directory = directory;

    public string Directory { get; }

    public string Root => Path.Combine(Directory, "root.pem");

    public string Intermediate => Path.Combine(Directory, "int.pem");

    public string IntermediateKey => Path.Combine(Directory, "int.key");

    /// <param name="intermediateNameConstraints">e.g. "permitted;DNS:allowed.test" (openssl x509v3_config syntax).</param>
    /// <param name="subject">Distinguishes the roots of different tests.</param>
    public static async Task<OpenSslPki> CreateAsync(string subject = "OpenSSL Test Root", string? intermediateNameConstraints = null)
    {
        var pki = new OpenSslPki(System.IO.Directory.CreateTempSubdirectory("wsdoctor-openssl-pki-").FullName);
        var d = pki.Directory;
        await Tool.OkAsync(Tool.OpenSsl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", Path.Combine(d, "root.key"), "-out", pki.Root, "-days", "3650", "-subj", $"/CN={subject} {Guid.NewGuid().ToString("N")[..6]}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await Tool.OkAsync(Tool.OpenSsl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", pki.IntermediateKey, "-out", Path.Combine(d, "int.csr"), "-subj", "/CN=OpenSSL Test Intermediate");
        System.IO.Directory.CreateDirectory(Path.Combine(d, "newcerts"));
        await File.WriteAllTextAsync(Path.Combine(d, "index.txt"), "");
        await File.WriteAllTextAsync(Path.Combine(d, "serial"), "1000\n");
        await File.WriteAllTextAsync(Path.Combine(d, "ca.cnf"), $"""
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            dir = {d}
            database = {d}/index.txt
            new_certs_dir = {d}/newcerts
            serial = {d}/serial
            default_md = sha256
            policy = any
            unique_subject = no
            [ any ]
            commonName = supplied
            [ v3_int ]
            basicConstraints = critical,CA:TRUE,pathlen:0
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            {(intermediateNameConstraints is null ? "" : "nameConstraints = critical," + intermediateNameConstraints)}

            """);
        await Tool.OkAsync(Tool.OpenSsl, "ca", "-batch", "-config", Path.Combine(d, "ca.cnf"), "-cert", pki.Root, "-keyfile", Path.Combine(d, "root.key"),
            "-in", Path.Combine(d, "int.csr"), "-out", pki.Intermediate, "-days", "1825", "-extensions", "v3_int", "-notext");
        return pki;
    }

    /// <summary>A leaf signed by the intermediate. <paramref name="extensions"/> are extra x509v3 lines
    /// (subjectAltName=..., authorityInfoAccess=...); CA:FALSE, digitalSignature, serverAuth and the key ids are always there.</summary>
    public async Task<OpenSslLeaf> LeafAsync(string name, string commonName, params string[] extensions)
    {
        var key = Path.Combine(Directory, name + ".key");
        var csr = Path.Combine(Directory, name + ".csr");
        var ext = Path.Combine(Directory, name + ".ext");
        var pem = Path.Combine(Directory, name + ".pem");
        await Tool.OkAsync(Tool.OpenSsl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", $"/CN={commonName}");
        await File.WriteAllLinesAsync(ext, ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth",
            "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid", .. extensions]);
        await Tool.OkAsync(Tool.OpenSsl, "x509", "-req", "-in", csr, "-CA", Intermediate, "-CAkey", IntermediateKey, "-CAcreateserial",
            "-out", pem, "-days", "90", "-extfile", ext);
        var full = Path.Combine(Directory, name + "-fullchain.pem");
        await File.WriteAllTextAsync(full, await File.ReadAllTextAsync(pem) + await File.ReadAllTextAsync(Intermediate));
        return new OpenSslLeaf(pem, key, full);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <param name="Certificate">The leaf alone (certbot's cert.pem).</param>
/// <param name="FullChain">Leaf then intermediate (fullchain.pem).</param>
public sealed record OpenSslLeaf(string Certificate, string Key, string FullChain);
