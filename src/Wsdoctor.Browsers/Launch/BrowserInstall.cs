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
            throw new BrowserMissingException($"{variable}={given}: no such file");
        }

        throw new BrowserMissingException(kind == BrowserKind.Chromium
            ? "Chromium is not installed: apt-get install chromium (Debian/Ubuntu; dnf install chromium on Fedora), or point WSDOCTOR_CHROMIUM at a Chrome or Chromium executable"
            : "Firefox is not installed: apt-get install firefox-esr (Debian; firefox elsewhere), or point WSDOCTOR_FIREFOX at a Firefox executable");
    }
}
