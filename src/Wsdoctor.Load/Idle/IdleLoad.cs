using Wsdoctor.Load.Connections;

namespace Wsdoctor.Load.Idle;

/// <summary>Opens many connections that then send nothing, to measure what a server pays per idle client.</summary>
public static class IdleLoad
{
    public static async Task<IdleConnections> OpenAsync(LoadTarget target, IdleLoadOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Deadline);
        var errors = new LoadErrors();
        var sockets = await ConnectionOpener.OpenAsync(
            target, options.Connections, options.ConnectConcurrency, options.ConnectTimeout, errors, deadline.Token).ConfigureAwait(false);
        return new IdleConnections(sockets, errors, options);
    }
}
