using Wsdoctor.Lint.Nginx;

namespace Wsdoctor.Lint.Tests.Nginx;

public sealed class NginxIncludesTests : IDisposable
{
    private readonly TempDirectory dir = new();

    [Fact]
    public void Load_GlobInclude_RelativeToTheMainFilesDirectoryInSortedOrder()
    {
        var main = dir.Write("nginx.conf", "http {\n    include sites/*.conf;\n}\n");
        dir.Write("sites/b.conf", "server { listen 82; }\n");
        dir.Write("sites/a.conf", "server { listen 81; }\n");
        dir.Write("sites/.hidden.conf", "server { listen 83; }\n");
        dir.Write("sites/c.conf.off", "server { listen 84; }\n");

        var loaded = NginxIncludes.Load(main, DiskConfigFiles.Instance);

        Assert.True(loaded.Ok, loaded.Error?.ToString());
        var listens = loaded.Value.Directives.Single().Block!.Select(s => s.Block!.Single().Arg(0));
        Assert.Equal(["81", "82"], listens);
        Assert.Equal([main, Path.Combine(dir.Path, "sites/a.conf"), Path.Combine(dir.Path, "sites/b.conf")], loaded.Value.Files);
        Assert.Equal(new SourceLocation(Path.Combine(dir.Path, "sites/b.conf"), 1, 10), loaded.Value.Directives.Single().Block![1].Block!.Single().Location);
    }

    [Fact]
    public void Load_NestedIncludeWithRelativePath_ResolvesAgainstTheMainFileNotTheIncludingFile()
    {
        var main = dir.Write("nginx.conf", "http { include conf.d/app.conf; }");
        dir.Write("conf.d/app.conf", "include snippets/headers.conf;");
        dir.Write("snippets/headers.conf", "proxy_set_header Host $host;");
        dir.Write("conf.d/snippets/headers.conf", "proxy_set_header Wrong 1;");

        var loaded = NginxIncludes.Load(main, DiskConfigFiles.Instance);

        Assert.True(loaded.Ok, loaded.Error?.ToString());
        Assert.Equal("Host", loaded.Value.Directives.Single().Block!.Single().Arg(0));
    }

    [Fact]
    public void Load_GlobMatchingNothing_IsFineButAMissingFileIsAnError()
    {
        var main = dir.Write("nginx.conf", "http {\n    include none/*.conf;\n    include missing.conf;\n}");

        var loaded = NginxIncludes.Load(main, DiskConfigFiles.Instance);

        Assert.False(loaded.Ok);
        Assert.Equal(new SourceLocation(main, 3, 5), loaded.Error.Location);
        Assert.Contains("missing.conf", loaded.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IncludeNamingANulByte_IsAnErrorNotAnException()
    {
        // Found by bench/fuzz (nginx): File.ReadAllText threw ArgumentException for a name with a NUL byte.
        var main = dir.Write("nginx.conf", "http {\n    include a\0b.conf;\n}");

        var loaded = NginxIncludes.Load(main, DiskConfigFiles.Instance);

        Assert.False(loaded.Ok);
        Assert.Equal(new SourceLocation(main, 2, 5), loaded.Error.Location);
        Assert.Contains("NUL byte", loaded.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', loaded.Error.Message.En);
    }

    [Fact]
    public void LintStdin_DumpFileNameWithANulByte_IsLinted()
    {
        // Found by bench/fuzz (nginx): Path.GetFullPath threw for the dump's main file name.
        var dump = "# configuration file /etc/nginx/a\0b.conf:\nevents {}\nhttp { server { listen 80; } }\n";

        var linted = NginxLinter.LintStdin(dump, dir.Path, NginxLintOptions.Default);

        Assert.True(linted.Ok, linted.Error?.ToString());
    }

    [Fact]
    public void Load_FileIncludingItself_IsReportedNotRecursedForever()
    {
        var main = dir.Write("nginx.conf", "include nginx.conf;");

        var loaded = NginxIncludes.Load(main, DiskConfigFiles.Instance);

        Assert.False(loaded.Ok);
        Assert.Contains("nested deeper", loaded.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_DumpText_FilesWithTheirOwnLineNumbers()
    {
        const string dump = "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                            + "# configuration file /etc/nginx/nginx.conf:\nevents {}\nhttp { include /etc/nginx/conf.d/*.conf; }\n\n"
                            + "# configuration file /etc/nginx/conf.d/ws.conf:\nserver {\n    listen 80;\n}\n\n";

        var files = NginxDump.Split(dump)!;

        Assert.Equal(["/etc/nginx/nginx.conf", "/etc/nginx/conf.d/ws.conf"], files.Select(f => f.Path));
        Assert.Equal("events {}\nhttp { include /etc/nginx/conf.d/*.conf; }\n", files[0].Text);
        Assert.Equal("server {\n    listen 80;\n}\n", files[1].Text);
        var loaded = NginxIncludes.Load(files[0].Path, new DumpConfigFiles(files));
        Assert.True(loaded.Ok, loaded.Error?.ToString());
        Assert.Equal(new SourceLocation("/etc/nginx/conf.d/ws.conf", 2, 5), loaded.Value.Directives[1].Block!.Single().Block!.Single().Location);
    }

    [Fact]
    public void Split_PlainConfiguration_IsNotADump() => Assert.Null(NginxDump.Split("events {}\n# configuration notes\n"));

    [Theory]
    [InlineData("*.conf", "a.conf", true)]
    [InlineData("*.conf", ".a.conf", false)]
    [InlineData("[ab].conf", "b.conf", true)]
    [InlineData("[!ab].conf", "b.conf", false)]
    [InlineData("[a-c]?.conf", "c1.conf", true)]
    [InlineData("a\\*.conf", "a*.conf", true)]
    [InlineData("a\\*.conf", "ab.conf", false)]
    public void IsMatch_GlobSegment_AsGlob3(string pattern, string name, bool expected) =>
        Assert.Equal(expected, GlobPattern.IsMatch(pattern, name));

    public void Dispose() => dir.Dispose();
}
