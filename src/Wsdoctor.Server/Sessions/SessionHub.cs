using System.Collections.Concurrent;

namespace Wsdoctor.Server.Sessions;

/// <summary>The open sessions, and admission against --max-connections (a slot is reserved before the upgrade,
/// so a burst of handshakes cannot overshoot the limit).</summary>
public sealed class SessionHub(int maxConnections)
{
    private readonly ConcurrentDictionary<long, Session> sessions = new();
    private long reserved;
    private long nextId;

    public int Count => sessions.Count;

    public IEnumerable<Session> All => sessions.Values;

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

    public void Remove(Session session) => sessions.TryRemove(session.Id, out _);
}
