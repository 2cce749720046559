using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wsdoctor.Lab.Servers;

/// <summary>A real ASP.NET Core SignalR hub on Kestrel (the shared framework's own SignalR) at <see cref="HubPath"/>:
/// <c>SendMessage(user, text)</c> broadcasts <c>ReceiveMessage(user, text)</c>, <c>Add(a, b)</c> returns the sum,
/// and each new connection gets <c>Welcome("lab")</c>.</summary>
public sealed class SignalRChat : IAsyncDisposable
{
    public const string HubPath = "/chatHub";
    private readonly WebApplication app;

    private SignalRChat(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SignalRChat> StartAsync(CancellationToken ct = default)
    {
        var builder = Wsdoctor.Hosting.WebHosts.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        // The hub's arguments and results go through System.Text.Json's source-generated metadata (no reflection).
        builder.Services.AddSignalR().AddJsonProtocol(json => json.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ChatJson.Default));
        var app = builder.Build();
        app.MapHub<ChatHub>(HubPath);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SignalRChat(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    internal sealed class ChatHub : Hub
    {
        public override Task OnConnectedAsync() => Clients.Caller.SendAsync("Welcome", "lab");

        public Task SendMessage(string user, string text) => Clients.All.SendAsync("ReceiveMessage", user, text);

        // An instance method: SignalR's hub method discovery skips static methods ("Unknown hub method").
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "SignalR invokes instance methods only")]
        public int Add(int a, int b) => a + b;
    }
}

/// <summary>The types the lab's hub receives and sends.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class ChatJson : JsonSerializerContext;

