namespace Wsdoctor.Browsers.Launch;

public enum BrowserKind
{
    Chromium,
    Firefox,
}

public static class BrowserKinds
{
    public static string Name(this BrowserKind kind) => kind == BrowserKind.Chromium ? "chromium" : "firefox";

    /// <summary>Parses the value of --browser: chromium, firefox or all (also chrome and firefox-esr).</summary>
    public static IReadOnlyList<BrowserKind>? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "" or "chromium" or "chrome" => [BrowserKind.Chromium],
        "firefox" or "firefox-esr" => [BrowserKind.Firefox],
        "all" or "both" => [BrowserKind.Chromium, BrowserKind.Firefox],
        _ => null,
    };
}
