using System.Text;
using QRCoder;

namespace Wsdoctor.Cli.Probe;

/// <summary>A QR code drawn with half-block characters: two modules per character row, so it stays square.</summary>
public static class QrText
{
    /// <summary>The lines of the code for <paramref name="text"/>, with the quiet zone; dark modules are drawn in the
    /// terminal's background colour on a light block, so it scans on dark and light themes alike.</summary>
    public static IReadOnlyList<string> Render(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var size = modules.Count;
        var lines = new List<string>();
        for (var y = 0; y < size; y += 2)
        {
            var line = new StringBuilder(size);
            for (var x = 0; x < size; x++)
            {
                var top = modules[y][x];
                var bottom = y + 1 < size && modules[y + 1][x];
                // Light is drawn, dark is left blank: '█' both light, '▀' top light, '▄' bottom light, ' ' both dark.
                line.Append((top, bottom) switch
                {
                    (false, false) => '█',
                    (false, true) => '▀',
                    (true, false) => '▄',
                    _ => ' ',
                });
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    /// <summary>Columns the code needs.</summary>
    public static int Width(string text) => Render(text)[0].Length;
}
