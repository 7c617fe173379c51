using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// Sign-out: a post with the anti-forgery token (a link or an image elsewhere cannot sign anyone out), then this page
/// saying it is done. Open to anyone, so the answer after signing out needs no sign-in, and before enrolment.
/// </summary>
[AllowAnonymous, AllowedBeforeEnrolment]
public sealed class SignOutModel(SignInManager<StaffUser> signIn) : AccountPage
{
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public override string Label(string field) => field;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/afmelden" + LangQuery);
    }
}
