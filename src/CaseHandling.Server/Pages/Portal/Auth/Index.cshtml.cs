using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>"Mijn account": who is signed in, whether two-factor is on, and the way to the password and sign-out.</summary>
public sealed class IndexModel(UserManager<StaffUser> users, IOptions<SecurityOptions> security) : AccountPage
{
    public StaffUser Account { get; private set; } = null!;
    public IList<string> Roles { get; private set; } = [];
    public SecurityOptions Security => security.Value;

    public override string Label(string field) => field;

    public async Task<IActionResult> OnGetAsync()
    {
        // Signed in, but no such account (removed since): the session is worth nothing, so sign in again.
        if (await users.GetUserAsync(User) is not { } account) return Challenge();
        Account = account;
        Roles = await users.GetRolesAsync(account);
        return Page();
    }
}
