using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Auth;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// Sign-in with a recovery code instead of the app's code (the phone is lost): the SignIn command, which redeems the
/// code (each works once). Afterwards the account page, where new codes or a new app can be set up.
/// </summary>
[AllowAnonymous]
public sealed class RecoveryCodeModel(IMediator mediator) : AccountPage
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public override string Label(string field) => field switch
    {
        "email" => T["signin.email"],
        "password" => T["signin.password"],
        _ => T["account.recovery.code"],
    };

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // All three first: a right password alone must not sign in an account that has two-factor on, nor half-way.
        if (string.IsNullOrWhiteSpace(Email)) Errors["email"] = T["err.required"];
        if (string.IsNullOrEmpty(Password)) Errors["password"] = T["err.required"];
        if (string.IsNullOrWhiteSpace(RecoveryCode)) Errors["recoveryCode"] = T["err.required"];
        if (Errors.Count == 0)
        {
            var result = await mediator.Send(new SignIn(Email, Password, null, SignInChannel.Cookie, RecoveryCode), ct);
            if (result.IsSuccess) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/account" + LangQuery);
            Problem = result.Error is SignInFailed { Reason: "locked_out" } ? T["signin.locked"] : T["account.recovery.wrong"];
        }
        Password = RecoveryCode = null; // never sent back to the browser
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
