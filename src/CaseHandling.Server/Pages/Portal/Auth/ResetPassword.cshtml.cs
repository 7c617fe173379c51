using CaseHandling.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using CaseHandling.Domain.Common;
using Mediator;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// Where the reset mail's link leads: the account's id and Identity's token come in the link and go back as hidden
/// fields; the new password is checked against Identity's rules, each broken rule said at the field. A used, expired or
/// mangled link says so at once, with the way to a new one. The page sends no referrer, so the token stays here.
/// </summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(UserManager<StaffUser> users, IMediator mediator) : AccountPage
{
    [BindProperty(SupportsGet = true)] public string? Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public bool Invalid { get; private set; }
    public bool Done { get; private set; }

    public override string Label(string field) => field == "newPassword" ? T["account.change.new"] : T["account.change.confirm"];

    public async Task OnGetAsync()
    {
        var user = await Account();
        Invalid = user is null || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider,
            UserManager<StaffUser>.ResetPasswordTokenPurpose, Token!);
        if (Invalid) Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await Account();
        if (user is null) Invalid = true;
        else if (Repeated(NewPassword, ConfirmPassword))
        {
            var reset = await mediator.Send(new Features.Auth.ResetPassword(Id, Token, NewPassword), HttpContext.RequestAborted);
            if (reset.IsSuccess) Done = true;
            else if (reset.Error is ValidationFailed { Fields: var rules } && rules.TryGetValue("newPassword", out var codes)) Errors["newPassword"] = PasswordErrors(codes);
            else Invalid = true;
        }
        NewPassword = ConfirmPassword = null; // never sent back
        if (!Done) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<StaffUser?> Account() =>
        string.IsNullOrEmpty(Id) || string.IsNullOrEmpty(Token) ? null : await users.FindByIdAsync(Id);
}
