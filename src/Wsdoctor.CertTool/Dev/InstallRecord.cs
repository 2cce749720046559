using System.Text.Json;
using System.Text.Json.Serialization;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Dev;

/// <summary>What <c>cert dev --install</c> changed, kept next to the CA (installed.json), so that <c>--uninstall</c>
/// removes exactly that and nothing a user added by hand.</summary>
public sealed record InstalledEntry(string Store, string Location, string? Nickname, bool CreatedDatabase);

public static class InstallRecord
{
    public const string FileName = "installed.json";


    public static List<InstalledEntry> Read(string caDirectory)
    {
        var path = Path.Combine(caDirectory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), InstallRecordJson.Default.ListInstalledEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw new CertInputException(T($"{path} is not a record wsdoctor wrote ({e.Message}); remove it after checking what it lists", $"{path} 不是 wsdoctor 写下的记录（{e.Message}）；请先核对其中列出的内容，再删除它"));
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

        File.WriteAllText(path, JsonSerializer.Serialize(entries, InstallRecordJson.Default.IReadOnlyListInstalledEntry) + "\n");
    }
}

/// <summary>installed.json's shape (web defaults: camelCase, case-insensitive reading), source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(List<InstalledEntry>))]
[JsonSerializable(typeof(IReadOnlyList<InstalledEntry>))]
internal sealed partial class InstallRecordJson : JsonSerializerContext;
