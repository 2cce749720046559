using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Wsdoctor.Hosting;

/// <summary>The builder of every Kestrel host wsdoctor starts. ASP.NET Core's defaults are made for an application
/// that owns its directory; wsdoctor runs wherever the user happens to be. So the content root is the tool's own
/// folder, not the working directory (an <c>appsettings.json</c> there, say an ASP.NET project's with
/// <c>Kestrel:Endpoints</c>, would otherwise configure wsdoctor's listeners), configuration files are not watched
/// (the watcher puts an inotify watch on every directory below the content root: 11,460 watches for a serve started
/// in /tmp, and a start-up failure where fs.inotify.max_user_watches is lower), and no logging provider is added:
/// each host adds the one it wants.</summary>
public static class WebHosts
{
    public static WebApplicationBuilder CreateBuilder(string? applicationName = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = applicationName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        return builder;
    }
}
