using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// The button "Aanmelden met …" on the sign-in page: sends the browser to the provider (the authorization code flow).
/// A link rather than a form: the page's Content-Security-Policy allows forms to post only to this site, and a form's
/// redirect to the provider would count as posting there. Starting a sign-in changes nothing here; the state and nonce
/// that come back are bound to this browser by the handler's correlation cookie.
/// </summary>
[AllowAnonymous]
public sealed class ExternalChallengeModel(FederatedOptions options) : PortalPage
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public IActionResult OnGet(string provider)
    {
        // A provider that is not (or no longer) configured: back to the sign-in page, which shows those that are.
        if (!options.Providers.ContainsKey(provider)) return LocalRedirect(PortalPaths.SignIn + (T.Lang == "en" ? "?lang=en" : ""));
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;
        return Challenge(FederatedSignInSetup.ChallengeProperties(provider, returnUrl, T.Lang), FederatedSignInSetup.SchemeOf(provider));
    }
}
