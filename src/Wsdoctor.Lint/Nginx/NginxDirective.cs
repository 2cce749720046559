namespace Wsdoctor.Lint.Nginx;

/// <summary>One directive: its name and arguments, and its block's directives for a block directive
/// (<c>http</c>, <c>server</c>, <c>location</c>, <c>map</c>...). Inside <c>map</c> and <c>types</c> the "directives"
/// are the table's rows: <c>'' close;</c> is a directive named "" with one argument.</summary>
public sealed record NginxDirective(IReadOnlyList<NginxWord> Words, IReadOnlyList<NginxDirective>? Block)
{
    public string Name => Words[0].Value;

    public IReadOnlyList<NginxWord> Args => Words.Skip(1).ToArray();

    public string Arg(int index) => index + 1 < Words.Count ? Words[index + 1].Value : "";

    public int ArgCount => Words.Count - 1;

    public SourceLocation Location => Words[0].Location;

    public bool IsBlock => Block is not null;

    public bool Is(string name) => string.Equals(Name, name, StringComparison.Ordinal);

    /// <summary>The directive as written: <c>proxy_set_header Upgrade $http_upgrade;</c> or <c>location /ws/ {</c>.</summary>
    public string Text => string.Join(' ', Words.Select(w => w.Raw)) + (IsBlock ? " {" : ";");
}
