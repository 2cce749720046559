namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>One check of the configuration; each rule reports the codes of one concern.</summary>
public interface INginxRule
{
    IEnumerable<LintFinding> Check(NginxLintContext context);
}
