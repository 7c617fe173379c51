using System.Security.Claims;
using CaseHandling.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>
/// Identity's sign-in, with the administrator's "disabled" (<see cref="StaffUser.DisabledAt"/>) on top: a disabled account
/// cannot sign in by any route (password, TOTP, recovery code), and a session it already has ends at the next check of the
/// security stamp. Identity answers "not allowed" before it looks at the password, so the sign-in says no more than for a
/// wrong password: whether an account exists or is disabled is not told to whoever types its address.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<StaffUser> users,
    IHttpContextAccessor http,
    IUserClaimsPrincipalFactory<StaffUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation)
    : SignInManager<StaffUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(StaffUser user) =>
        user.DisabledAt is null && await base.CanSignInAsync(user);

    /// <summary>Disabling also renews the stamp, so this is belt and braces: a disabled account's cookie is never renewed.</summary>
    public override async Task<StaffUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal) =>
        await base.ValidateSecurityStampAsync(principal) is { DisabledAt: null } user ? user : null;
}
