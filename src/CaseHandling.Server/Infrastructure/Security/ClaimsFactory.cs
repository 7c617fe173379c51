using System.Security.Claims;
using CaseHandling.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>Adds the institution a board or staff member is bound to, so that access checks need no lookup.</summary>
public sealed class ClaimsFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.InstitutionId is { } institution)
            identity.AddClaim(new Claim(CurrentUser.InstitutionClaim, institution.ToString()));
        return identity;
    }
}
