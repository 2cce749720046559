using Wsdoctor.Findings;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests.Completion;

/// <summary><c>wsdoctor completion SHELL</c>: each script is loaded into the real shell and asked for completions the
/// way the shell's line editor asks.</summary>
public sealed class CompletionTests
{
    private const string Bash = "/bin/bash";
    private const string Zsh = "/usr/bin/zsh";
    private const string Fish = "/usr/bin/fish";

    [SkippableFact]
    public async Task Bash_LoadedScript_CompletesCommandsCodesOptionsAndValues()
    {
        var script = await ScriptAsync("bash");

        var registered = await ShellAsync(Bash, script, "complete -p wsdoctor");
        Assert.Equal("complete -F _wsdoctor wsdoctor", registered.Trim());
        Assert.Equal(["check"], await BashCompleteAsync(script, "wsdoctor", "ch"));
        var codes = await BashCompleteAsync(script, "wsdoctor", "explain", "tls.");
        Assert.Equal(Catalogue.All.Select(e => e.Code).Where(c => c.StartsWith("tls.", StringComparison.Ordinal)).Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
        Assert.Equal(["nginx"], await BashCompleteAsync(script, "wsdoctor", "lint", "ng"));
        Assert.Equal(["--sarif-base"], await BashCompleteAsync(script, "wsdoctor", "lint", "nginx", "--sarif"));
        Assert.Equal(["json", "junit"], await BashCompleteAsync(script, "wsdoctor", "check", "--format", "j"));
        // An option's value is skipped when finding the command: "check" after --origin is still check's options.
        Assert.Contains("--targets", await BashCompleteAsync(script, "wsdoctor", "check", "--origin", "https://a", "--ta"));
        Assert.Equal(["bash"], await BashCompleteAsync(script, "wsdoctor", "completion", "b"));
    }

    [SkippableFact]
    public async Task Zsh_LoadedScript_RegistersTheFunctionAndOffersCodesCommandsAndValues()
    {
        Peers.Require(Zsh);
        var script = await ScriptAsync("zsh");

        // Outside the line editor compadd cannot run, so it is replaced by a function printing what it is given: the
        // candidates _wsdoctor offers for words/CURRENT (zsh itself then filters them by the typed prefix).
        var output = await ShellAsync(Zsh, script, """
            print -r -- "comp=${_comps[wsdoctor]}"
            compadd() { print -r -- "offer: $*"; }
            words=(wsdoctor explain tls.na); CURRENT=3; _wsdoctor
            words=(wsdoctor ch); CURRENT=2; _wsdoctor
            words=(wsdoctor check --origin https://a --format ''); CURRENT=6; _wsdoctor
            """, "-f", "autoload -Uz compinit && compinit -u -D");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("comp=_wsdoctor", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(Catalogue.All.Select(e => e.Code).Order(StringComparer.Ordinal), lines[1]["offer: -- ".Length..].Split(' ').Order(StringComparer.Ordinal));
        Assert.Contains("check", lines[2].Split(' '));
        Assert.DoesNotContain(Codes.TlsNameMismatch, lines[2].Split(' '));
        Assert.Equal("offer: -- json junit sarif text", lines[3]);
    }

    [SkippableFact]
    public async Task Fish_CompleteC_OffersCodesCommandsAndOptionValues()
    {
        Peers.Require(Fish);
        var script = await ScriptAsync("fish");

        var codes = await FishCompleteAsync(script, "wsdoctor explain tls.");
        var commands = await FishCompleteAsync(script, "wsdoctor ch");
        var values = await FishCompleteAsync(script, "wsdoctor lint nginx --format ");

        var tls = Catalogue.All.Where(e => e.Code.StartsWith("tls.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(tls.Select(e => $"{e.Code}\t{e.Title}").Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
        Assert.Equal(["check"], commands.Select(c => c.Split('\t')[0]));
        Assert.Equal(["json", "sarif", "text"], values.Select(c => c.Split('\t')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Completion_UnknownShell_OneLineExit2()
    {
        var run = await WsdoctorProcess.RunAsync("completion", "powershell");

        Assert.Equal("wsdoctor: error: completion takes bash, zsh or fish (got 'powershell')", run.AssertUsageError("powershell"));
    }

    private static async Task<string> ScriptAsync(string shell)
    {
        var run = await WsdoctorProcess.RunAsync("completion", shell);
        Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.ToString());
        return run.Stdout;
    }

    /// <summary>What bash's programmable completion would offer: the function called with COMP_WORDS/COMP_CWORD set
    /// as readline sets them for the cursor at the end of the last word.</summary>
    private static async Task<string[]> BashCompleteAsync(string script, params string[] words)
    {
        var array = string.Join(' ', words.Select(w => $"'{w}'"));
        var output = await ShellAsync(Bash, script, $"COMP_WORDS=({array}); COMP_CWORD={words.Length - 1}; _wsdoctor; printf '%s\\n' \"${{COMPREPLY[@]}}\"");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<string[]> FishCompleteAsync(string script, string line)
    {
        var output = await ShellAsync(Fish, script, $"complete -C '{line}'", "--no-config");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs the shell with the script in a file it sources (fish: source; bash and zsh: source), then the
    /// commands; a script error fails the test through stderr or the exit code.</summary>
    private static async Task<string> ShellAsync(string shell, string script, string commands, string flag = "--norc", string prelude = "")
    {
        Peers.Require(shell);
        var file = Path.Combine(Path.GetTempPath(), $"wsdoctor-completion-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var body = $"{(prelude.Length > 0 ? prelude + "\n" : "")}source '{file}'\n{commands}\n";
            var run = await WsdoctorProcess.RunProcessAsync(shell, [flag, "-c", body], new Dictionary<string, string> { ["HOME"] = Path.GetTempPath(), ["XDG_CONFIG_HOME"] = Path.GetTempPath() });
            Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, $"{shell}: {run}");
            return run.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
