using Microsoft.AspNetCore.Http;

namespace Wsdoctor.Server.Observability;

/// <summary>GET /healthz (JSON) and GET /metrics (Prometheus text).</summary>
public static class HttpEndpoints
{
    public static bool TryHandle(HttpContext context, ServerMetrics metrics, out Task response)
    {
        response = Task.CompletedTask;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }

        switch (context.Request.Path.Value)
        {
            case "/healthz":
                context.Response.ContentType = "application/json";
                response = context.Response.WriteAsync(metrics.RenderHealth() + "\n", context.RequestAborted);
                return true;
            case "/metrics":
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                response = context.Response.WriteAsync(metrics.RenderPrometheus(), context.RequestAborted);
                return true;
            default:
                return false;
        }
    }
}
