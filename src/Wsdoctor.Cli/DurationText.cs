using Wsdoctor.Protocol.Text;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary>Duration options (<see cref="Durations"/> syntax) with the option's name in the error.</summary>
public static class DurationText
{
    /// <param name="maxSeconds">The longest value the option takes (an hour unless the option says otherwise).</param>
    public static TimeSpan Parse(string text, string option, double maxSeconds = 3600)
    {
        if (!Durations.TryParse(text, out var value))
        {
            throw new UsageException(T($"{option} takes a duration such as 5, 1.5s, 500ms or 2m (got '{text}')", $"{option} 需要一个时长，例如 5、1.5s、500ms 或 2m（收到的是“{text}”）"));
        }

        if (value.TotalSeconds > maxSeconds)
        {
            throw new UsageException(T($"{option} is at most {Format(TimeSpan.FromSeconds(maxSeconds))} (got '{text}')", $"{option} 最多为 {Format(TimeSpan.FromSeconds(maxSeconds))}（收到的是“{text}”）"));
        }

        return value;
    }

    /// <summary>The inverse, for messages: "500ms", "5s", "10m".</summary>
    public static string Format(TimeSpan span) => Durations.Format(span);
}
