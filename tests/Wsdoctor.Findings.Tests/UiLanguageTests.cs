namespace Wsdoctor.Findings.Tests;

public class UiLanguageTests
{
    [Theory]
    [InlineData("zh_CN.UTF-8", "zh-CN")]
    [InlineData("zh_CN", "zh-CN")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh_SG.GB2312", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh_CN.UTF-8@pinyin", "zh-CN")]
    [InlineData("zh_TW.UTF-8", "en")]
    [InlineData("zh_HK", "en")]
    [InlineData("en_US.UTF-8", "en")]
    [InlineData("C", "en")]
    [InlineData("POSIX", "en")]
    [InlineData("C.UTF-8", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    public void FromLocale_MapsPosixLocales(string? locale, string expected)
    {
        Assert.Equal(expected, UiLanguage.FromLocale(locale));
    }

    [Theory]
    [InlineData("zh_CN.UTF-8", "en_US.UTF-8", "en_US.UTF-8", "zh-CN")]   // LC_ALL wins
    [InlineData("", "zh_CN.UTF-8", "en_US.UTF-8", "zh-CN")]              // then LC_MESSAGES
    [InlineData("", "", "zh_CN.UTF-8", "zh-CN")]                         // then LANG
    [InlineData("C", "", "zh_CN.UTF-8", "en")]                           // a set LC_ALL=C is English
    [InlineData("", "", "", "en")]
    public void Resolve_WithoutLang_UsesThePosixPrecedence(string lcAll, string lcMessages, string lang, string expected)
    {
        var env = new Dictionary<string, string> { ["LC_ALL"] = lcAll, ["LC_MESSAGES"] = lcMessages, ["LANG"] = lang };

        Assert.Equal(expected, UiLanguage.Resolve(null, name => env.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh-cn", "zh-CN")]
    public void Resolve_ExplicitLang_WinsOverTheEnvironment(string lang, string expected)
    {
        var env = new Dictionary<string, string> { ["LC_ALL"] = lang == "en" ? "zh_CN.UTF-8" : "en_US.UTF-8" };

        Assert.Equal(expected, UiLanguage.Resolve(lang, name => env.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("zh_CN")]
    [InlineData("zh-TW")]
    public void Parse_Unsupported_IsNull(string lang)
    {
        Assert.Null(UiLanguage.Parse(lang));
        Assert.Throws<ArgumentException>(() => UiLanguage.Resolve(lang, _ => null));
    }
}
