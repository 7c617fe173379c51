using CaseHandling.Server.Infrastructure.Hosting;

namespace CaseHandling.Server.Pages;

public sealed class IndexModel(HostedSurface hosted) : ReporterPage
{
    /// <summary>The staff sign-in is served by this process (not on a reporter surface of its own).</summary>
    public bool StaffSignInHere => hosted.Value.Serves(PortalPaths.SignIn);

    public void OnGet() { }
}
