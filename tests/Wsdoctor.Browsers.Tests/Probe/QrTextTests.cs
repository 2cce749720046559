using Wsdoctor.Cli.Probe;
using ZXing;
using ZXing.Common;

namespace Wsdoctor.Browsers.Tests.Probe;

/// <summary>The probe's QR code, decoded back by an independent reader (ZXing) from the characters printed.</summary>
public class QrTextTests
{
    [Theory]
    [InlineData("http://127.0.0.1:41234/")]
    [InlineData("http://192.168.1.20:8080/")]
    public void Render_DecodesBackToTheLink(string link)
    {
        var lines = QrText.Render(link);

        Assert.Equal(link, Decode(lines));
    }

    /// <summary>Half blocks back to modules (█ both light, ▀ upper light, ▄ lower light, space both dark), 4 pixels
    /// per module, light on a light border as a screen shows it.</summary>
    private static string? Decode(IReadOnlyList<string> lines)
    {
        const int scale = 4;
        var width = lines[0].Length;
        var height = lines.Count * 2;
        var pixels = new byte[width * scale * height * scale];
        for (var row = 0; row < lines.Count; row++)
        {
            for (var x = 0; x < width; x++)
            {
                var (upper, lower) = lines[row][x] switch
                {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    _ => (false, false),
                };
                foreach (var (y, light) in new[] { (row * 2, upper), (row * 2 + 1, lower) })
                {
                    for (var dy = 0; dy < scale; dy++)
                    {
                        for (var dx = 0; dx < scale; dx++)
                        {
                            pixels[(y * scale + dy) * width * scale + x * scale + dx] = light ? (byte)255 : (byte)0;
                        }
                    }
                }
            }
        }

        var source = new RGBLuminanceSource(pixels, width * scale, height * scale, RGBLuminanceSource.BitmapFormat.Gray8);
        var result = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.POSSIBLE_FORMATS] = new[] { BarcodeFormat.QR_CODE }, [DecodeHintType.TRY_HARDER] = true });
        return result?.Text;
    }
}
