using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// The administrator disables an account (the person left, or the account is misused) or enables it again. A disabled
/// account cannot sign in (<see cref="StaffSignInManager"/>), and its open sessions end: the security stamp is renewed,
/// which every session is checked against. An administrator cannot disable their own account (the installation would
/// be left without a way back in when they are the only one).
/// </summary>
public sealed record SetAccountDisabled(Guid UserId, bool Disabled) : ICommand<Result<UserView>>;

public sealed class SetAccountDisabledHandler(UserManager<StaffUser> users, CaseHandlingDbContext db, CurrentUserAccessor current,
    UnitOfWork work, TimeProvider time) : ICommandHandler<SetAccountDisabled, Result<UserView>>
{
    public const string OwnAccount = "An administrator cannot disable their own account.";

    public async ValueTask<Result<UserView>> Handle(SetAccountDisabled cmd, CancellationToken ct)
    {
        var me = current.Get();
        var user = await users.FindByIdAsync(cmd.UserId.ToString());
        if (user is null) return new NotFound("The account");
        if (cmd.Disabled && user.Id == me.UserId) return new Forbidden(OwnAccount);
        if (cmd.Disabled == user.DisabledAt is not null) return await Accounts.ViewAsync(db, time, user.Id, ct); // already so: nothing to do

        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            user.DisabledAt = cmd.Disabled ? time.GetUtcNow() : null;
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded) return new ConcurrencyConflict("The account");
            // Ends the sessions it has (UpdateSecurityStampAsync saves the account again).
            if (cmd.Disabled) await users.UpdateSecurityStampAsync(user);
            work.Audit(cmd.UserId, cmd.Disabled ? "account.disabled" : "account.enabled", me);
            return Result.Success();
        }, ct);
        if (!changed.IsSuccess) return changed.Error!;
        return await Accounts.ViewAsync(db, time, user.Id, ct);
    }
}
