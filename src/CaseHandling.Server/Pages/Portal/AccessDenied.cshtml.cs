using Microsoft.AspNetCore.Authorization;

namespace CaseHandling.Server.Pages.Portal;

/// <summary>A signed-in person opened a page that is not for their role.</summary>
[AllowAnonymous]
public sealed class AccessDeniedModel : PortalPage
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
