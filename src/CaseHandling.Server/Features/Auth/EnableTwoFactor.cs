using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>
/// Two-step enrolment's last step: a code from the authenticator app proves the key works, and two-factor is on. With
/// <see cref="RecoveryCodes"/> above zero, that many recovery codes are made (the page's enrolment shows them once); the
/// API's enrolment makes none. Recorded as <c>account.two_factor_enabled</c>.
/// </summary>
public sealed record EnableTwoFactor(string? Code, int RecoveryCodes = 0) : ICommand<Result<IReadOnlyList<string>>>;

public sealed class EnableTwoFactorHandler(UserManager<StaffUser> users, CurrentUserAccessor current, UnitOfWork work)
    : ICommandHandler<EnableTwoFactor, Result<IReadOnlyList<string>>>
{
    public async ValueTask<Result<IReadOnlyList<string>>> Handle(EnableTwoFactor cmd, CancellationToken ct)
    {
        var proven = await AccountChange.ProvenByCodeAsync(users, current.AccountId(), cmd.Code);
        if (proven.Error is { } refused) return refused;
        var (user, self) = proven.Value;
        IReadOnlyList<string> codes = [];
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            var enabled = await users.SetTwoFactorEnabledAsync(user, true);
            if (!enabled.Succeeded) return new ConcurrencyConflict("The account");
            if (cmd.RecoveryCodes > 0) codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, cmd.RecoveryCodes) ?? []];
            work.Audit(self.Subject, "account.two_factor_enabled", self.UserId, self.Role);
            return Result.Success();
        }, ct);
        return changed.IsSuccess ? Result<IReadOnlyList<string>>.Success(codes) : changed.Error!;
    }
}
