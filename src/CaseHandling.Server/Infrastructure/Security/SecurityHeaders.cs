namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>
/// Headers on every response. The app serves no script at all and loads nothing from other sites, so the
/// Content-Security-Policy allows only its own stylesheet and forms; the admin-only Hangfire dashboard,
/// which brings inline script, gets a policy limited to this site, and so does the API reference page (Scalar). Case content is never cached (API and
/// pages alike). HSTS on every HTTPS response (TLS is terminated in front of the app in production).
/// </summary>
public static class SecurityHeaders
{
    public const string Policy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    public const string DashboardPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The API reference (Scalar): its own script and styles, and the OpenAPI document from this site; nothing from elsewhere.</summary>
    public const string ApiReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>A report's file: a sandbox without scripts, plugins or forms, loading nothing, should a browser render it anyway.</summary>
    public const string FilePolicy = "sandbox; default-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            var path = context.Request.Path;
            // A file served as evidence sets the strictest policy itself (a sandbox, docs/EVIDENCE.md): kept.
            if (h.ContentSecurityPolicy != FilePolicy)
                h.ContentSecurityPolicy = path.StartsWithSegments("/hangfire") ? DashboardPolicy
                    : path.StartsWithSegments(OpenApi.ApiReference.Path) ? ApiReferencePolicy : Policy;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!path.StartsWithSegments("/css")) h.CacheControl = "no-store";
            if (context.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            return Task.CompletedTask;
        });
        await next();
    });
}
