using System.CommandLine;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Conform.Client;
using Wsdoctor.Server.Tls;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Conform;

/// <summary>TLS for conform: <c>conform server wss://…</c> checks the certificate like <c>check</c> (system store,
/// <c>--ca FILE</c>, or <c>--insecure</c>); <c>conform client --tls-cert/--tls-key</c> or <c>--tls-dev</c> serves the
/// harness over wss:// with the same files and dev CA as <c>serve</c>.</summary>
internal static class ConformTls
{
    public static Option<string?> Ca() => new("--ca") { Description = H("wss://: trust this CA file (PEM/DER) instead of the system store", "wss://：信任这个 CA 文件（PEM/DER），代替系统信任库") };

    public static Option<bool> Insecure() => new("--insecure", "-k") { Description = H("wss://: accept any server certificate (the cases test the WebSocket layer)", "wss://：接受任何服务端证书（这些用例测试的是 WebSocket 层）") };

    public static ServerTarget Apply(ServerTarget target, string? ca, bool insecure)
    {
        if (target.Tls is not { } tls)
        {
            return ca is null && !insecure ? target : throw new UsageException(T("--ca and --insecure are for wss:// URLs", "--ca 和 --insecure 只用于 wss:// URL"));
        }

        X509Certificate2Collection? roots = null;
        if (ca is not null)
        {
            try
            {
                roots = Pem.LoadCertificates(ca);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new UsageException(T($"--ca: {e.Message}", $"--ca：{e.Message}"));
            }
        }

        return target with { Tls = tls with { Roots = roots, Insecure = insecure } };
    }

    public static Option<string?> Cert() => new("--tls-cert") { Description = H("Serve the harness over wss:// with this certificate (PEM, leaf first, then the intermediates)", "用这个证书通过 wss:// 提供测试框架（PEM，叶子证书在前，然后是中间证书）") };

    public static Option<string?> Key() => new("--tls-key") { Description = H("The private key of --tls-cert", "--tls-cert 的私钥") };

    public static Option<bool> Dev() => new("--tls-dev") { Description = H("Serve the harness over wss:// with a certificate from the dev CA of serve --tls-dev (localhost, 127.0.0.1, ::1)", "用 serve --tls-dev 的开发 CA 签发的证书，通过 wss:// 提供测试框架（localhost、127.0.0.1、::1）") };

    /// <returns>Null for plain ws://.</returns>
    public static SslStreamCertificateContext? ServerCertificate(string? cert, string? key, bool dev)
    {
        if ((cert is null) != (key is null))
        {
            throw new UsageException(T("--tls-cert and --tls-key go together", "--tls-cert 和 --tls-key 必须一起使用"));
        }

        if (cert is not null && dev)
        {
            throw new UsageException(T("--tls-cert/--tls-key and --tls-dev exclude each other", "--tls-cert/--tls-key 和 --tls-dev 不能同时使用"));
        }

        ServerCertificate loaded;
        if (cert is not null)
        {
            try
            {
                loaded = PemServerCertificate.Load(cert, key!, DateTimeOffset.UtcNow);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new UsageException(T($"--tls-cert/--tls-key: {e.Message}", $"--tls-cert/--tls-key：{e.Message}"));
            }
        }
        else if (dev)
        {
            var directory = DevCertificates.DefaultDirectory();
            try
            {
                loaded = DevCertificates.Ensure(directory, DateTimeOffset.UtcNow).Certificate;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException(T($"--tls-dev: cannot use {directory}: {e.Message}", $"--tls-dev：无法使用 {directory}：{e.Message}"));
            }
        }
        else
        {
            return null;
        }

        foreach (var warning in loaded.Warnings)
        {
            Console.Error.WriteLine(T($"wsdoctor: warning: {warning.Code}: {warning.Message}", $"wsdoctor: 警告：{warning.Code}：{warning.Message}").In(LanguageOption.Current));
        }

        return SslStreamCertificateContext.Create(loaded.Leaf, loaded.Chain, offline: true);
    }
}
