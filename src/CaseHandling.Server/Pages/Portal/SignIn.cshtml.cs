using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Auth;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal;

/// <summary>Staff sign-in: e-mail, password and, when two-factor is on, the code. The same SignIn command as the API.</summary>
[AllowAnonymous]
public sealed class SignInModel(IMediator mediator) : PortalPage
{
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
