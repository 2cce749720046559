using System.Collections.Concurrent;

namespace Wsdoctor.Server.Sessions;

/// <summary>The open sessions, and admission against --max-connections (a slot is reserved before the upgrade,
/// so a burst of handshakes cannot overshoot the limit).</summary>
public sealed class SessionHub(int maxConnections)
{
    private readonly ConcurrentDictionary<long, Session> sessions = new();
    private TaskCompletionSource emptied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long reserved;
    private long nextId;

    public int Count => sessions.Count;

    /// <summary>The open sessions, enumerated live (no snapshot is copied: broadcast walks this per message).</summary>
    public IEnumerable<Session> All => sessions.Select(static pair => pair.Value);

    public long NextId() => Interlocked.Increment(ref nextId);

    public bool TryReserve()
    {
        if (Interlocked.Increment(ref reserved) <= maxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref reserved);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref reserved);

    public void Add(Session session) => sessions[session.Id] = session;

    public void Remove(Session session)
    {
        sessions.TryRemove(session.Id, out _);
        if (sessions.IsEmpty)
        {
            Interlocked.Exchange(ref emptied, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>Completes when no session is left, or after <paramref name="timeout"/>; true when empty.</summary>
    public async Task<bool> WhenEmptyAsync(TimeSpan timeout)
    {
        while (!sessions.IsEmpty)
        {
            var next = Volatile.Read(ref emptied).Task;
            if (sessions.IsEmpty)
            {
                break;
            }

            try
            {
                await next.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return sessions.IsEmpty;
            }
        }

        return true;
    }
}
