using CaseHandling.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Account;

/// <summary>
/// A signed-in staff member changes their password: the current one first (a session left open is not enough), then
/// the new one twice. Identity's rules decide, and each broken rule is said at the field. The change renews the
/// account's security stamp, which ends its other sessions; this one is signed in again and goes on.
/// </summary>
public sealed class ChangePasswordModel(UserManager<StaffUser> users, SignInManager<StaffUser> signIn) : AccountPage
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
            var changed = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
            if (changed.Succeeded)
            {
                await signIn.RefreshSignInAsync(user);
                Done = true;
            }
            else if (changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
                Errors["currentPassword"] = T["account.change.wrong"];
            else
                Errors["newPassword"] = PasswordErrors(changed.Errors);
        }
        // Passwords are never sent back to the browser.
        CurrentPassword = NewPassword = ConfirmPassword = null;
        if (!Done) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
