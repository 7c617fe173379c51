using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// Resets an account's two-factor enrolment, for a person who lost both the phone and the recovery codes: two-factor
/// off, a new authenticator key (the old app's codes no longer work) and no recovery codes. The person signs in with the
/// password and enrols again (with Security:RequireTwoFactor the portal sends them to enrolment first). Resetting the key
/// renews the security stamp, so the account's open sessions end.
/// </summary>
public sealed record ResetTwoFactor(Guid UserId) : ICommand<Result<UserView>>;

public sealed class ResetTwoFactorHandler(UserManager<StaffUser> users, CaseHandlingDbContext db, CurrentUserAccessor current,
    UnitOfWork work, TimeProvider time) : ICommandHandler<ResetTwoFactor, Result<UserView>>
{
    public async ValueTask<Result<UserView>> Handle(ResetTwoFactor cmd, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(cmd.UserId.ToString());
        if (user is null) return new NotFound("The account");
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            var result = await users.SetTwoFactorEnabledAsync(user, false);
            if (result.Succeeded) result = await users.ResetAuthenticatorKeyAsync(user);
            if (!result.Succeeded) return new ConcurrencyConflict("The account");
            // Zero new codes replaces the old ones with none.
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
            work.Audit(cmd.UserId, "account.two_factor_reset", current.Get());
            return Result.Success();
        }, ct);
        if (!changed.IsSuccess) return changed.Error!;
        return await Accounts.ViewAsync(db, time, user.Id, ct);
    }
}
