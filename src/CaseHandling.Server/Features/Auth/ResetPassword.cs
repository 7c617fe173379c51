using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>
/// A new password with the token from the reset mail (<see cref="RequestPasswordReset"/>): the account's id and Identity's
/// one-use token. An unknown account and a used, expired or mangled token are one and the same answer (400 on "token").
/// Recorded as <c>account.password_reset</c>, by the account itself.
/// </summary>
public sealed record ResetPassword(string? UserId, string? Token, string? NewPassword) : ICommand<Result>, IValidatable
{
    public const string InvalidToken = nameof(IdentityErrorDescriber.InvalidToken);

    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("token", Token, 4000).Concat(Check.RequiredText("userId", UserId, 100)).Concat(Check.RequiredText("newPassword", NewPassword, 200));
}

public sealed class ResetPasswordHandler(UserManager<StaffUser> users, UnitOfWork work) : ICommandHandler<ResetPassword, Result>
{
    public async ValueTask<Result> Handle(ResetPassword cmd, CancellationToken ct)
    {
        if (await users.FindByIdAsync(cmd.UserId!) is not { } user) return ValidationFailed.Single("token", ResetPassword.InvalidToken);
        var self = await AccountChange.SelfAsync(users, user);
        return await work.AtomicallyAsync("The account", async () =>
        {
            var reset = await users.ResetPasswordAsync(user, cmd.Token!, cmd.NewPassword!);
            if (!reset.Succeeded)
                return AccountChange.Refused(reset.Errors.Any(e => e.Code == ResetPassword.InvalidToken) ? "token" : "newPassword", reset);
            work.Audit(self.Subject, "account.password_reset", self.UserId, self.Role);
            return Result.Success();
        }, ct);
    }
}
