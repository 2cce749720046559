using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Probes;

namespace Wsdoctor.Client.Tests.Support;

/// <summary>An open session against a real peer, with its events collected and awaitable.</summary>
public sealed class Live : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly BlockingCollection<SessionEvent> _events = [];
    private readonly List<SessionEvent> _seen = [];
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromMinutes(2));

    private Live(OpenedConnection connection, SessionOptions options)
    {
        Connection = connection;
        Session = new ClientSession(connection, options, e => _events.Add(e));
        Run = Session.RunAsync(_cts.Token);
    }

    public OpenedConnection Connection { get; }

    public ClientSession Session { get; }

    public Task<SessionEnd> Run { get; }

    public static OpenOptions Options(string url, Func<CheckOptions, CheckOptions>? tweak = null, bool compress = false, bool follow = false)
    {
        var check = new CheckOptions { Url = url, StepTimeout = TimeSpan.FromSeconds(15), Deadline = TimeSpan.FromSeconds(60) };
        return new OpenOptions { Check = tweak is null ? check : tweak(check), Compress = compress, FollowRedirects = follow };
    }

    public static async Task<Live> OpenAsync(OpenOptions options, SessionOptions? session = null)
    {
        using var cts = new CancellationTokenSource(Patience);
        var result = await Opener.OpenAsync(options, cts.Token);
        Assert.True(result.Connection is not null, $"open failed: {result.Failure}");
        return new Live(result.Connection!, session ?? new SessionOptions());
    }

    /// <summary>The next event of type T matching the predicate; earlier events stay in <see cref="Seen"/>.</summary>
    public T Next<T>(Func<T, bool>? match = null)
        where T : SessionEvent
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (_events.TryTake(out var e, TimeSpan.FromMilliseconds(200)))
            {
                _seen.Add(e);
                if (e is T t && (match is null || match(t)))
                {
                    return t;
                }
            }
        }

        Assert.Fail($"no {typeof(T).Name} within {Patience}; saw: {string.Join(", ", _seen)}");
        return null!;
    }

    public IReadOnlyList<SessionEvent> Seen => _seen;

    public MessageEvent NextIn() => Next<MessageEvent>(m => m.Direction == TapDirection.In);

    public Task SendTextAsync(string text) => Session.SendTextAsync(text, _cts.Token);

    public Task SendBinaryAsync(byte[] data) => Session.SendAsync(WebSocketMessageType.Binary, data, _cts.Token);

    public async Task<SessionEnd> EndAsync() => await Run.WaitAsync(Patience);

    public static string Text(MessageEvent m) => Encoding.UTF8.GetString(m.Data);

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await Session.CloseAsync(1000, "", _cts.Token);
            await ((Task)Run).WaitAsync(Patience).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Connection.DisposeAsync();
        _cts.Dispose();
        _events.Dispose();
    }
}
