namespace Wsdoctor.Lint.Haproxy;

/// <summary>The fix block of a section: its header and lines as written (a section ends where the next begins).</summary>
public static class HaproxyFixBlock
{
    public static FixBlock For(HaproxySection section) =>
        new(section.Header.Text, section.Lines.Select(l => ((object)l, l.Text)), null);
}
