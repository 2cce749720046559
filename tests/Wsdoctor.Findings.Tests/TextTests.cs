using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Findings.Tests;

public sealed class TextTests
{
    [Fact]
    public void T_KeepsTheValuesOfTheChineseHolesOutOfItsProse()
    {
        var host = "test.example.com";
        var text = T($"certificate covers {host}", $"证书覆盖 {host}，端口 {443}");

        Assert.Equal("certificate covers test.example.com", text.En);
        Assert.Equal("证书覆盖 test.example.com，端口 443", text.Zh);
        Assert.Equal(["证书覆盖 ", "，端口 "], text.Prose);
        Assert.True(text.Translated);
    }

    [Fact]
    public void T_WithATextInAHole_TakesItsLanguageOnEachSide()
    {
        var role = T("intermediate", "中间");
        var text = T($"the {role} certificate", $"{role}证书");

        Assert.Equal("the intermediate certificate", text.En);
        Assert.Equal("中间证书", text.Zh);
        Assert.Equal(["中间", "证书"], text.Prose);
        Assert.Equal("中间证书", text.In(UiLanguage.SimplifiedChinese));
        Assert.Equal("the intermediate certificate", text.In(UiLanguage.English));
    }

    [Fact]
    public void Untranslated_IsNoticed_ThroughEveryWayOfCombiningTexts()
    {
        var raw = Untranslated("left in English");

        Assert.False(raw.Translated);
        Assert.False(T("x", $"包含 {raw}").Translated);
        Assert.False(Join(", ", [T("a", "甲"), raw]).Translated);
        Assert.False((T("a", "甲") + raw).Translated);
        Assert.False(raw.Map(s => s.ToUpperInvariant()).Translated);
        Assert.True(Join(T(", ", "、"), [T("a", "甲"), Verbatim("b")]).Translated);
    }

    [Fact]
    public void Verbatim_IsTheSameInEveryLanguage_AndHasNoProse()
    {
        var text = Verbatim("HTTP/1.1 403 Forbidden");

        Assert.Equal(text.En, text.Zh);
        Assert.Empty(text.Prose);
        Assert.True(text.Translated);
    }

    [Fact]
    public void Join_UsesEachLanguagesSeparator()
    {
        var text = Join(T(", ", "、"), [T("Chromium", "Chromium"), T("Firefox", "Firefox")]);

        Assert.Equal("Chromium, Firefox", text.En);
        Assert.Equal("Chromium、Firefox", text.Zh);
    }
}
