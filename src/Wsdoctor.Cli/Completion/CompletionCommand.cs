using System.CommandLine;

namespace Wsdoctor.Cli.Completion;

/// <summary><c>wsdoctor completion bash|zsh|fish</c>: prints a completion script generated from the command tree.</summary>
public static class CompletionCommand
{
    public static Command Create(RootCommand root)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script: source <(wsdoctor completion bash), or see README") { shell };
        command.SetAction(result =>
        {
            var nodes = CompletionTree.Flatten(root);
            var script = result.GetValue(shell) switch
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
