namespace Wsdoctor.Lint.Nginx;

/// <summary>The fix block of an nginx block directive: its own lines as written, nested blocks folded
/// (<c>location /x { … }</c>).</summary>
public static class NginxFixBlock
{
    /// <param name="header">Another first line, for a new block made from this one's lines.</param>
    public static FixBlock For(NginxDirective block, string? header = null) =>
        new(header ?? block.Text, (block.Block ?? []).Select(d => ((object)d, d.IsBlock ? d.Text + " … }" : d.Text)), "}");
}
