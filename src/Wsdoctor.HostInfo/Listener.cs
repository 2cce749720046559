using System.Net;

namespace Wsdoctor.HostInfo;

/// <summary>A TCP socket in the LISTEN state on this host.</summary>
/// <param name="Address">The address it is bound to; <c>0.0.0.0</c> or <c>::</c> for all.</param>
/// <param name="Port">The local port.</param>
/// <param name="Inode">The socket's inode, which links the /proc/net row to a process's fd.</param>
/// <param name="ProcessId">The owning process, when its fds were readable.</param>
/// <param name="ProcessName">The owner's name from /proc/&lt;pid&gt;/comm (at most 15 characters).</param>
public sealed record Listener(IPAddress Address, int Port, long Inode, int? ProcessId, string? ProcessName);
