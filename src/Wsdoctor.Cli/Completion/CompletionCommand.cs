using System.CommandLine;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Completion;

/// <summary><c>wsdoctor completion bash|zsh|fish</c>: prints a completion script generated from the command tree.</summary>
public static class CompletionCommand
{
    private static readonly string[] Shells = ["bash", "zsh", "fish"];

    public static Command Create(RootCommand root)
    {
        var shell = new Argument<string>("shell") { Description = H("bash, zsh or fish", "bash、zsh 或 fish") };
        shell.CompletionSources.Add(Shells);
        var command = new Command("completion", H("Print a shell completion script: source <(wsdoctor completion bash), or see README", "打印 shell 补全脚本：source <(wsdoctor completion bash)，或参见 README")) { shell };
        command.SetAction(result =>
        {
            var chosen = result.GetValue(shell)!;
            if (!Shells.Contains(chosen, StringComparer.Ordinal))
            {
                throw new UsageException(T($"completion takes bash, zsh or fish (got '{chosen}')", $"completion 的参数只能是 bash、zsh 或 fish（收到的是“{chosen}”）"));
            }

            var nodes = CompletionTree.Flatten(root);
            var script = chosen switch
            {
                "bash" => ShellScripts.Bash(nodes),
                "zsh" => ShellScripts.Zsh(nodes),
                _ => ShellScripts.Fish(nodes),
            };
            Console.Out.Write(script);
            return ExitCodes.Ok;
        });
        return command;
    }
}
