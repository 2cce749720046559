namespace Wsdoctor.Fuzz.Targets;

/// <summary>The ways a push parser is fed the same bytes: all at once, one byte at a time, and in pseudo-random
/// chunks (seeded by the input, so a crash replays). A push parser must report the same thing for each.</summary>
public static class Chunking
{
    public const int Plans = 3;

    /// <summary>The chunk lengths of plan <paramref name="plan"/> over <paramref name="length"/> bytes.</summary>
    public static IEnumerable<int> Sizes(int plan, int length, int seed)
    {
        if (plan == 0)
        {
            yield return length;
            yield break;
        }

        // xorshift32: cheap, allocation-free and the same on every run.
        uint state = (uint)seed * 2654435761u | 1u;
        for (int left = length; left > 0;)
        {
            int size = 1;
            if (plan == 2)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                size = 1 + (int)(state % 23);
            }

            size = Math.Min(size, left);
            left -= size;
            yield return size;
        }
    }
}
