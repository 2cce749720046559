using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Browsers.Launch;

/// <summary>Where a browser's executable is: $WSDOCTOR_CHROMIUM / $WSDOCTOR_FIREFOX, else the usual names on PATH.</summary>
public static class BrowserInstall
{
    private static readonly string[] ChromiumNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];
    private static readonly string[] FirefoxNames = ["firefox-esr", "firefox"];

    public static string? Find(BrowserKind kind, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var variable = kind == BrowserKind.Chromium ? "WSDOCTOR_CHROMIUM" : "WSDOCTOR_FIREFOX";
        if (environment(variable) is { Length: > 0 } explicitPath)
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }

        var path = environment("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var name in kind == BrowserKind.Chromium ? ChromiumNames : FirefoxNames)
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Finds the browser or says, in one line, how to install it.</summary>
    /// <exception cref="BrowserMissingException">Not installed.</exception>
    public static string Require(BrowserKind kind, Func<string, string?>? environment = null)
    {
        if (Find(kind, environment) is { } found)
        {
            return found;
        }

        var variable = kind == BrowserKind.Chromium ? "WSDOCTOR_CHROMIUM" : "WSDOCTOR_FIREFOX";
        if ((environment ?? Environment.GetEnvironmentVariable)(variable) is { Length: > 0 } given)
        {
            throw new BrowserMissingException(T($"{variable}={given}: no such file", $"{variable}={given}：文件不存在"));
        }

        throw new BrowserMissingException(kind == BrowserKind.Chromium
            ? T("Chromium is not installed: apt-get install chromium (Debian/Ubuntu; dnf install chromium on Fedora), or point WSDOCTOR_CHROMIUM at a Chrome or Chromium executable",
                "未安装 Chromium：apt-get install chromium（Debian/Ubuntu；Fedora 上用 dnf install chromium），或把 WSDOCTOR_CHROMIUM 指向 Chrome 或 Chromium 可执行文件")
            : T("Firefox is not installed: apt-get install firefox-esr (Debian; firefox elsewhere), or point WSDOCTOR_FIREFOX at a Firefox executable",
                "未安装 Firefox：apt-get install firefox-esr（Debian；其他发行版为 firefox），或把 WSDOCTOR_FIREFOX 指向 Firefox 可执行文件"));
    }
}
