namespace CaseHandling.Server.Infrastructure.Hosting;

/// <summary>Where the front ends live: the JSON API under /api, the pages everywhere else.</summary>
public static class PortalPaths
{
    public const string Api = "/api";
    /// <summary>The staff sign-in page (the staff portal's first page).</summary>
    public const string SignIn = "/aanmelden";
    public const string AccessDenied = "/geen-toegang";

    public static bool IsApi(PathString path) => path.StartsWithSegments(Api, StringComparison.OrdinalIgnoreCase);
}
