using System.Buffers;

namespace Wsdoctor.Server.Sessions;

/// <summary>A message arriving through System.Net.WebSockets (permessage-deflate), where its size is only known at
/// its end. The buffer doubles up to 1 MiB, then grows by 1 MiB chunks, so while a message arrives it holds at most
/// its size plus one chunk, and a compression bomb cut at the limit costs about the limit (a doubling buffer held
/// the old and the new array at each step, and the pool kept both).</summary>
internal sealed class MessageAssembly
{
    public const int ChunkSize = 1024 * 1024;
    private const int MinRoom = 16 * 1024;

    private readonly List<byte[]> full = [];
    private byte[]? current;
    private int used;

    public bool HasBuffer => current is not null;

    public long Length => ((long)full.Count * ChunkSize) + used;

    /// <summary>Where the next received bytes go.</summary>
    public Memory<byte> Room()
    {
        if (current is null)
        {
            current = ArrayPool<byte>.Shared.Rent(MinRoom * 4);
        }
        else if (current.Length < ChunkSize && current.Length - used < MinRoom)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(current.Length * 2, ChunkSize));
            current.AsSpan(0, used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(current);
            current = bigger;
        }
        else if (current.Length >= ChunkSize && used == current.Length)
        {
            full.Add(current);
            current = ArrayPool<byte>.Shared.Rent(ChunkSize);
            used = 0;
        }

        return current.AsMemory(used);
    }

    public void Advance(int count) => used += count;

    /// <summary>The whole message in one array of its own.</summary>
    public byte[] ToArray()
    {
        if (Length == 0)
        {
            return [];
        }

        var whole = GC.AllocateUninitializedArray<byte>((int)Length);
        var at = 0;
        foreach (var chunk in full)
        {
            chunk.AsSpan(0, ChunkSize).CopyTo(whole.AsSpan(at));
            at += ChunkSize;
        }

        current.AsSpan(0, used).CopyTo(whole.AsSpan(at));
        return whole;
    }

    /// <summary>Forgets the bytes; keeps the current buffer for more when <paramref name="keepBuffer"/>.</summary>
    public void Clear(bool keepBuffer)
    {
        foreach (var chunk in full)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        full.Clear();
        used = 0;
        if (!keepBuffer && current is not null)
        {
            ArrayPool<byte>.Shared.Return(current);
            current = null;
        }
    }
}
