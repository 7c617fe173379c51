using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// Clears a lockout after failed sign-in attempts (Identity locks an account for 15 minutes after 5), and the count of
/// failed attempts, so the person can try again now. It does not enable a disabled account.
/// </summary>
public sealed record UnlockAccount(Guid UserId) : ICommand<Result<UserView>>;

public sealed class UnlockAccountHandler(UserManager<StaffUser> users, CaseHandlingDbContext db, CurrentUserAccessor current,
    UnitOfWork work, TimeProvider time) : ICommandHandler<UnlockAccount, Result<UserView>>
{
    public async ValueTask<Result<UserView>> Handle(UnlockAccount cmd, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(cmd.UserId.ToString());
        if (user is null) return new NotFound("The account");
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            var unlocked = await users.SetLockoutEndDateAsync(user, null);
            if (unlocked.Succeeded) unlocked = await users.ResetAccessFailedCountAsync(user);
            if (!unlocked.Succeeded) return new ConcurrencyConflict("The account");
            work.Audit(cmd.UserId, "account.unlocked", current.Get());
            return Result.Success();
        }, ct);
        if (!changed.IsSuccess) return changed.Error!;
        return await Accounts.ViewAsync(db, time, user.Id, ct);
    }
}
