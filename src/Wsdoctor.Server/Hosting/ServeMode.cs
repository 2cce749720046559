namespace Wsdoctor.Server.Hosting;

/// <summary>What the server does with a received message.</summary>
public enum ServeMode
{
    /// <summary>Send it back to its sender, same type, in order.</summary>
    Echo,

    /// <summary>Send it to every other connected client, in the order the server received them.</summary>
    Broadcast,

    /// <summary>Write it to stdout; stdin lines go to every client (like <c>websocat -s</c>).</summary>
    Stdio,
}
