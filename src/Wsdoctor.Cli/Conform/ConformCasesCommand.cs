using System.CommandLine;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Reports;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli.Conform;

/// <summary><c>wsdoctor conform cases</c>: the case table, one line per case, or as the Markdown of docs/conform-cases.md.</summary>
internal static class ConformCasesCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = H("Print the case documentation (docs/conform-cases.md)", "打印用例文档（docs/conform-cases.md）") };
        var shared = new ConformOptions();
        var command = new Command("cases", H("List the conformance cases (what each sends, the rule, how it is graded)", "列出一致性测试用例（每个用例发送什么、依据哪条规则、如何评级）"));
        command.Options.Add(markdown);
        command.Options.Add(shared.Cases);
        command.Options.Add(shared.Exclude);
        command.SetAction(result =>
        {
            var cases = shared.Select(result, testingServer: true);
            if (result.GetValue(markdown))
            {
                Console.Out.Write(CaseDocs.Markdown(cases));
                return ExitCodes.Ok;
            }

            foreach (var c in cases)
            {
                Console.Out.WriteLine($"{c.Id,-8} {(c.ServerOnly ? "[server only] " : "")}{c.Description}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
