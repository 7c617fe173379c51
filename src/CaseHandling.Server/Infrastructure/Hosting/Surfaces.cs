namespace CaseHandling.Server.Infrastructure.Hosting;

/// <summary>Which of the app's two faces a process serves (<c>Hosting:Surfaces</c>).</summary>
public enum Surface
{
    /// <summary>Both, as one process (the default, and <c>deploy/run.sh</c>).</summary>
    All,
    /// <summary>The reporter's pages and API only: what the public internet reaches.</summary>
    Reporter,
    /// <summary>The staff portal, the staff API, sign-in, the API reference and the jobs dashboard.</summary>
    Staff,
}

/// <summary>The surface this process serves, read once at start (<see cref="Surfaces.Read"/>).</summary>
public sealed record HostedSurface(Surface Value);

/// <summary>
/// The reporter surface and the staff surface, deployable apart (docs/CLUSTER.md): the public address then exposes
/// nothing of the staff's, as SecureDrop puts its source and journalist interfaces on separate addresses. Each path
/// belongs to one surface; a process serving the other answers 404 for it, before anything reads a cookie. The
/// reporter surface reads no sign-in at all: it never runs authentication, so no staff cookie is ever read there.
/// </summary>
public static class Surfaces
{
    public const string Setting = "Hosting:Surfaces";

    /// <summary>The reporter's pages and API, besides the home page "/".</summary>
    private static readonly string[] ReporterPaths = ["/melden", "/opvolgen", "/verificatie", "/api/reports"];

    /// <summary>What every process serves: health probes and the stylesheets.</summary>
    private static readonly string[] SharedPaths = ["/health", "/css"];

    public static Surface Read(IConfiguration config)
    {
        var text = config[Setting];
        if (string.IsNullOrWhiteSpace(text)) return Surface.All;
        return Enum.TryParse<Surface>(text.Trim(), ignoreCase: true, out var surface) && Enum.IsDefined(surface)
            ? surface
            : throw new InvalidOperationException($"{Setting} must be Reporter, Staff or All.");
    }

    /// <summary>The surface a path belongs to; null for what both serve.</summary>
    public static Surface? Of(PathString path)
    {
        if (SharedPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))) return null;
        if (!path.HasValue || path.Value == "/") return Surface.Reporter;
        return ReporterPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) ? Surface.Reporter : Surface.Staff;
    }

    /// <summary>Whether this process answers <paramref name="path"/>.</summary>
    public static bool Serves(this Surface surface, PathString path) =>
        surface == Surface.All || Of(path) is not { } owner || owner == surface;

    /// <summary>404 for every path of the surface this process does not serve.</summary>
    public static IApplicationBuilder UseSurface(this IApplicationBuilder app, Surface surface)
    {
        if (surface == Surface.All) return app;
        return app.Use((context, next) =>
        {
            if (surface.Serves(context.Request.Path)) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
