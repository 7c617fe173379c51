using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>
/// A signed-in staff member changes their own password, giving the current one (a session left open is not enough).
/// The change renews the account's security stamp, which ends its other sessions; recorded as <c>account.password_changed</c>.
/// </summary>
public sealed record ChangePassword(string? CurrentPassword, string? NewPassword) : ICommand<Result>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("currentPassword", CurrentPassword, 200).Concat(Check.RequiredText("newPassword", NewPassword, 200));
}

public sealed class ChangePasswordHandler(UserManager<StaffUser> users, CurrentUserAccessor current, UnitOfWork work) : ICommandHandler<ChangePassword, Result>
{
    public async ValueTask<Result> Handle(ChangePassword cmd, CancellationToken ct)
    {
        if (await users.FindByIdAsync(current.AccountId()) is not { } user) return new NotFound("The account");
        var self = await AccountChange.SelfAsync(users, user);
        return await work.AtomicallyAsync("The account", async () =>
        {
            var changed = await users.ChangePasswordAsync(user, cmd.CurrentPassword!, cmd.NewPassword!);
            if (!changed.Succeeded)
                return AccountChange.Refused(changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)) ? "currentPassword" : "newPassword", changed);
            work.Audit(self.Subject, "account.password_changed", self.UserId, self.Role);
            return Result.Success();
        }, ct);
    }
}
