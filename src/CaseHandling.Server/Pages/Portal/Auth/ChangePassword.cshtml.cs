using CaseHandling.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using CaseHandling.Domain.Common;
using Mediator;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// A signed-in staff member changes their password: the current one first (a session left open is not enough), then
/// the new one twice. Identity's rules decide, and each broken rule is said at the field. The change renews the
/// account's security stamp, which ends its other sessions; this one is signed in again and goes on.
/// </summary>
public sealed class ChangePasswordModel(UserManager<StaffUser> users, SignInManager<StaffUser> signIn, IMediator mediator) : AccountPage
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public bool Done { get; private set; }

    public override string Label(string field) => field switch
    {
        "currentPassword" => T["account.change.current"],
        "newPassword" => T["account.change.new"],
        _ => T["account.change.confirm"],
    };

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        if (string.IsNullOrEmpty(CurrentPassword)) Errors["currentPassword"] = T["err.required"];
        if (Repeated(NewPassword, ConfirmPassword))
        {
            var changed = await mediator.Send(new Features.Auth.ChangePassword(CurrentPassword, NewPassword), HttpContext.RequestAborted);
            if (changed.IsSuccess)
            {
                // The change renewed the security stamp: this session is signed in again with the new one.
                await signIn.RefreshSignInAsync((await users.FindByIdAsync(user.Id))!);
                Done = true;
            }
            else if (changed.Error is ValidationFailed { Fields: var fields } && fields.ContainsKey("currentPassword"))
                Errors["currentPassword"] = T["account.change.wrong"];
            else if (changed.Error is ValidationFailed { Fields: var rules } && rules.TryGetValue("newPassword", out var codes))
                Errors["newPassword"] = PasswordErrors(codes);
            else
                throw new InvalidOperationException($"Changing a password failed: {changed.Error!.Code}");
        }
        // Passwords are never sent back to the browser.
        CurrentPassword = NewPassword = ConfirmPassword = null;
        if (!Done) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
