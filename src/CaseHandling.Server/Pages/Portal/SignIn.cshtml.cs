using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Auth;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal;

/// <summary>Staff sign-in: e-mail, password and, when two-factor is on, the code. The same SignIn command as the API.</summary>
[AllowAnonymous]
public sealed class SignInModel(IMediator mediator, Infrastructure.Security.FederatedOptions federated) : PortalPage
{
    /// <summary>The configured identity providers (docs/SIGN-IN.md), by name and the name on their button.</summary>
    public IEnumerable<(string Name, string DisplayName)> Providers =>
        federated.Providers.Select(p => (p.Key, p.Value.DisplayName)).OrderBy(p => p.DisplayName, StringComparer.CurrentCulture);

    /// <summary>Where a provider's button leads: the challenge, with the language and where to go afterwards.</summary>
    public string ProviderLink(string name)
    {
        var query = new List<string>();
        if (Url.IsLocalUrl(ReturnUrl)) query.Add("returnUrl=" + Uri.EscapeDataString(ReturnUrl!));
        if (T.Lang == "en") query.Add("lang=en");
        return $"{Infrastructure.Hosting.PortalPaths.ExternalSignIn}/{name}" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
    }

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new SignIn(Email, Password, Code, SignInChannel.Cookie), ct);
        Password = null; // never sent back to the browser
        if (result.IsSuccess) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/portaal");
        switch (result.Error)
        {
            case ValidationFailed v:
                foreach (var field in v.Fields.Keys) Errors[field] = T["err.required"];
                break;
            case SignInFailed { Reason: "two_factor_required" }:
                Errors["code"] = T["signin.coderequired"];
                break;
            case SignInFailed { Reason: "locked_out" }:
                Problem = T["signin.locked"];
                break;
            default:
                Problem = T["signin.wrong"];
                break;
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
