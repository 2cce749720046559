using System.Text;

namespace Wsdoctor.Conform.Cases;

/// <summary>The payloads of cases 12 and 13. Autobahn ships five files (a JSON document, a 512x512 greyscale
/// bitmap, a German play, an HTML page, a PDF); these are generated instead, deterministically, with the same kinds of
/// redundancy: structured ASCII text, a smooth image, natural-language UTF-8, markup, and mostly incompressible
/// binary. Text data is ASCII so that any slice of it is valid UTF-8.</summary>
internal static class CompressionData
{
    private const int Size = 512 * 1024;

    public static readonly (string Name, string Description, bool Binary, Lazy<byte[]> Data)[] Sets =
    [
        ("json_data1", "Large JSON data (generated)", false, new(Json)),
        ("lena512", "A 512x512 greyscale bitmap (generated gradient and noise)", true, new(Bitmap)),
        ("gutenberg_faust", "Human readable German text, UTF-8 (generated)", true, new(Prose)),
        ("html_data1", "Large HTML page (generated)", false, new(Html)),
        ("ooms", "A larger binary document, mostly incompressible (generated)", true, new(Noise)),
    ];

    private static readonly string[] Words = ["und", "der", "die", "das", "ich", "nicht", "ein", "zu", "mit", "sich", "Geist", "Welt", "Herz", "Natur", "Nacht", "hören", "glühend", "Träume", "Mädchen", "schön", "über", "früh", "weiß", "Größe", "Faust", "Mephistopheles", "Gretchen", "Himmel", "Erde"];

    private static byte[] Json()
    {
        var random = new Random(1);
        var text = new StringBuilder("[");
        for (int i = 0; text.Length < Size; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"name\":\"user").Append(random.Next(10000))
                .Append("\",\"active\":").Append(random.Next(2) == 0 ? "true" : "false").Append(",\"score\":").Append(random.Next(1000) / 10.0)
                .Append(",\"tags\":[\"alpha\",\"beta\",\"gamma\"],\"address\":{\"city\":\"City").Append(random.Next(50)).Append("\",\"zip\":\"").Append(10000 + random.Next(89999)).Append("\"}}");
        }

        return Encoding.ASCII.GetBytes(text.Append(']').ToString())[..Size];
    }

    private static byte[] Bitmap()
    {
        var random = new Random(2);
        var data = new byte[Size];
        for (int i = 0; i < Size; i++)
        {
            int x = i % 512, y = i / 512;
            data[i] = (byte)(((x + y) / 4 + random.Next(8)) & 0xFF);
        }

        return data;
    }

    private static byte[] Prose()
    {
        var random = new Random(3);
        var text = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(text.ToString()) < Size)
        {
            for (int i = 0; i < 2000; i++)
            {
                text.Append(Words[random.Next(Words.Length)]).Append(random.Next(12) == 0 ? ".\n" : " ");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString())[..Size];
    }

    private static byte[] Html()
    {
        var random = new Random(4);
        var text = new StringBuilder("<!DOCTYPE html><html><head><title>data</title></head><body>\n");
        while (text.Length < Size)
        {
            text.Append("<div class=\"row item-").Append(random.Next(100)).Append("\"><a href=\"/page/").Append(random.Next(100000))
                .Append("\">Link ").Append(random.Next(1000)).Append("</a><span>Lorem ipsum dolor sit amet</span></div>\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString())[..Size];
    }

    private static byte[] Noise()
    {
        var random = new Random(5);
        var data = new byte[Size];
        random.NextBytes(data);
        // Some structure, as in a PDF's object headers between compressed streams.
        for (int i = 0; i + 16 < Size; i += 997)
        {
            "endobj\nobj <<\n"u8.CopyTo(data.AsSpan(i));
        }

        return data;
    }

    /// <summary>The i-th message of <paramref name="length"/> bytes: consecutive slices, wrapping around.</summary>
    public static byte[] Slice(byte[] data, int index, int length)
    {
        var message = new byte[length];
        long start = (long)index * length % data.Length;
        for (int i = 0; i < length; i++)
        {
            message[i] = data[(start + i) % data.Length];
        }

        return message;
    }
}
