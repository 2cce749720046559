namespace Wsdoctor.Server.Observability;

public enum LogFormat
{
    /// <summary>logfmt: <c>ts=… event=… key=value key="value with spaces"</c>.</summary>
    Text,

    /// <summary>One JSON object per line with the same keys.</summary>
    Json,
}
