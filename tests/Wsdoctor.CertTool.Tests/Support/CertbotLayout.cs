namespace Wsdoctor.CertTool.Tests.Support;

/// <summary>certbot's layout, built the way certbot builds it: archive/NAME/{cert,chain,fullchain,privkey}1.pem and
/// live/NAME/*.pem as relative symlinks into it.</summary>
public static class CertbotLayout
{
    public static string Create(string root, string name, OpenSslLeaf leaf, string intermediate)
    {
        var archive = Directory.CreateDirectory(Path.Combine(root, "archive", name)).FullName;
        var live = Directory.CreateDirectory(Path.Combine(root, "live", name)).FullName;
        File.Copy(leaf.Certificate, Path.Combine(archive, "cert1.pem"));
        File.Copy(intermediate, Path.Combine(archive, "chain1.pem"));
        File.Copy(leaf.FullChain, Path.Combine(archive, "fullchain1.pem"));
        File.Copy(leaf.Key, Path.Combine(archive, "privkey1.pem"));
        foreach (var file in new[] { "cert", "chain", "fullchain", "privkey" })
        {
            File.CreateSymbolicLink(Path.Combine(live, file + ".pem"), Path.Combine("..", "..", "archive", name, file + "1.pem"));
        }

        return live;
    }
}
