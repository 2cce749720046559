namespace Wsdoctor.Findings;

/// <summary>Catalogue titles, fixes and labels in the output language (<see cref="UiLanguage"/>).
/// English comes from <see cref="Catalogue"/>; zh-CN from <see cref="CatalogueZhCn"/>.</summary>
public static class Localized
{
    /// <summary>Codes that have a zh-CN title and fix, in ordinal order.</summary>
    public static IReadOnlyList<string> ZhCnCodes { get; } =
        CatalogueZhCn.Entries.Keys.Order(StringComparer.Ordinal).ToArray();

    public static string Title(CatalogueEntry entry, string language) =>
        ZhCn(entry, language)?.Title ?? entry.Title;

    public static string Fix(CatalogueEntry entry, string language) =>
        ZhCn(entry, language)?.Fix ?? entry.Fix;

    /// <summary>The catalogue's short fix in every language.</summary>
    public static Text FixText(CatalogueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return CatalogueZhCn.Entries.TryGetValue(entry.Code, out var zh) ? Text.T(entry.Fix, zh.Fix) : Text.Untranslated(entry.Fix);
    }

    public static string SeverityLabel(Severity severity, string language) =>
        language != UiLanguage.SimplifiedChinese
            ? severity.Name()
            : severity switch
            {
                Severity.Info => "信息",
                Severity.Warning => "警告",
                Severity.Error => "错误",
                _ => throw new ArgumentOutOfRangeException(nameof(severity)),
            };

    /// <summary>The layer's name; zh-CN adds a short gloss after the (untranslated) layer code.</summary>
    public static string LayerLabel(Layer layer, string language) =>
        language != UiLanguage.SimplifiedChinese
            ? layer.Name()
            : layer.Name() + layer switch
            {
                Layer.Url => "（URL）",
                Layer.Dns => "（域名解析）",
                Layer.Tcp => "（TCP 连接）",
                Layer.Proxy => "（代理）",
                Layer.Tls => "（TLS）",
                Layer.Http => "（HTTP 升级）",
                Layer.Ws => "（WebSocket 握手）",
                Layer.Session => "（会话）",
                Layer.App => "（应用协议）",
                Layer.Browser => "（浏览器）",
                Layer.Lint => "（配置检查）",
                _ => throw new ArgumentOutOfRangeException(nameof(layer)),
            };

    private static (string Title, string Fix)? ZhCn(CatalogueEntry entry, string language) =>
        language == UiLanguage.SimplifiedChinese && CatalogueZhCn.Entries.TryGetValue(entry.Code, out var zh)
            ? zh
            : null;
}
