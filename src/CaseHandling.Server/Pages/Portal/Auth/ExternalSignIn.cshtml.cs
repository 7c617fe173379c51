using System.Security.Claims;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Auth;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// Where a federated sign-in ends (docs/SIGN-IN.md): the provider's answer was validated by the OpenID Connect handler
/// and kept for a few minutes in Identity's external cookie; this page hands it to the FederatedSignIn command, which
/// links and signs in the administrator's account, or says, in words, why not. Nothing here names the person: the
/// subject and the address stay out of the address bar, the page and the logs.
/// </summary>
[AllowAnonymous]
public sealed class ExternalSignInModel(IMediator mediator, FederatedOptions options) : PortalPage
{
    public bool SignedIn { get; private set; }
    public string Next { get; private set; } = "/portaal";
    public string? Problem { get; private set; }
    public string? Advice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? failed, CancellationToken ct)
    {
        if (failed is not null)
        {
            // The provider answered with an error (the person cancelled), or its answer did not validate.
            Problem = T.Format("signin.ext.failed", DisplayName(failed));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var external = await HttpContext.AuthenticateAsync(IdentityConstants.ExternalScheme);
        // Nothing to complete (opened directly, or the few minutes passed): the sign-in page.
        if (!external.Succeeded || external.Principal is not { } principal || external.Properties is not { } properties)
            return LocalRedirect(PortalPaths.SignIn + (T.Lang == "en" ? "?lang=en" : ""));
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);

        var provider = properties.GetString("provider") ?? "";
        var subject = principal.FindFirst("sub");
        if (subject is null) return Refused(SignInFailed.NoAccount, provider);
        var result = await mediator.Send(new FederatedSignIn(provider, subject.Issuer, subject.Value,
            principal.FindFirstValue("email"), principal.FindFirstValue("email_verified") is { } v && bool.TryParse(v, out var verified) && verified,
            principal.FindFirstValue("acr"), principal.FindAll("amr").Select(c => c.Value).ToList()), ct);
        if (!result.IsSuccess) return Refused(result.Error as SignInFailed ?? SignInFailed.NoAccount, provider);

        SignedIn = true;
        var returnUrl = properties.GetString("returnUrl");
        Next = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/portaal" + (T.Lang == "en" ? "?lang=en" : "");
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Refused(SignInFailed why, string provider)
    {
        var name = DisplayName(provider);
        (Problem, Advice) = why.Reason switch
        {
            "second_factor_missing" => (T.Format("signin.ext.mfa", name), T["signin.ext.mfa.advice"]),
            "account_disabled" => (T["signin.ext.disabled"], T["signin.ext.disabled.advice"]),
            "linked_to_another" => (T.Format("signin.ext.linked", name), T["signin.ext.noaccount.advice"]),
            "unknown_provider" => (T.Format("signin.ext.failed", name), null),
            _ => (T.Format("signin.ext.noaccount", name), T["signin.ext.noaccount.advice"]),
        };
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private string DisplayName(string provider) =>
        options.Providers.TryGetValue(provider, out var p) ? p.DisplayName : T["signin.ext.provider"];
}
