namespace Wsdoctor.Lint.Nginx;

/// <summary>A whole configuration with its includes spliced in where they stood, as nginx sees it.</summary>
/// <param name="MainFile">The file nginx was started with (<c>-c</c>).</param>
/// <param name="Prefix">The directory relative paths are resolved against (nginx's conf prefix).</param>
/// <param name="Files">Every file read, in reading order, the main file first.</param>
/// <param name="Directives">The main context.</param>
public sealed record NginxConfiguration(
    string MainFile,
    string Prefix,
    IReadOnlyList<string> Files,
    IReadOnlyList<NginxDirective> Directives);
