using System.Text.Json;

namespace Wsdoctor.CertTool.Dev;

/// <summary>What <c>cert dev --install</c> changed, kept next to the CA (installed.json), so that <c>--uninstall</c>
/// removes exactly that and nothing a user added by hand.</summary>
public sealed record InstalledEntry(string Store, string Location, string? Nickname, bool CreatedDatabase);

public static class InstallRecord
{
    public const string FileName = "installed.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static List<InstalledEntry> Read(string caDirectory)
    {
        var path = Path.Combine(caDirectory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<InstalledEntry>>(File.ReadAllText(path), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new CertInputException($"{path} is not a record wsdoctor wrote ({e.Message}); remove it after checking what it lists");
        }
    }

    public static void Write(string caDirectory, IReadOnlyList<InstalledEntry> entries)
    {
        var path = Path.Combine(caDirectory, FileName);
        if (entries.Count == 0)
        {
            File.Delete(path);
            return;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(entries, Json) + "\n");
    }
}
