using CaseHandling.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal;

/// <summary>Where sign-in and the header's link lead: each role's own first page.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class HomeModel : PortalPage
{
    public IActionResult OnGet() =>
        User.IsInRole(Roles.Board) ? Redirect("/portaal/taken")
        : User.IsInRole(Roles.Vertrouwensinspecteur) ? Redirect("/portaal/overleggen")
        : User.IsInRole(Roles.StaffMember) ? Redirect("/portaal/melden")
        : User.IsInRole(Roles.MeldpuntHandler) ? Redirect("/portaal/meldingen")
        : User.IsInRole(Roles.Administrator) ? Redirect("/portaal/beheer")
        : User.IsInRole(Roles.Inspectie) ? Redirect("/portaal/inspectie/meldingen")
        : Redirect(Infrastructure.Hosting.PortalPaths.AccessDenied);
}
