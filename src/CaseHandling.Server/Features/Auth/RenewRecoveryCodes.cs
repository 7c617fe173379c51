using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>New recovery codes, the old ones void, after a code from the app. Recorded as <c>account.recovery_codes_renewed</c>.</summary>
public sealed record RenewRecoveryCodes(string? Code, int Count) : ICommand<Result<IReadOnlyList<string>>>;

public sealed class RenewRecoveryCodesHandler(UserManager<StaffUser> users, CurrentUserAccessor current, UnitOfWork work)
    : ICommandHandler<RenewRecoveryCodes, Result<IReadOnlyList<string>>>
{
    public async ValueTask<Result<IReadOnlyList<string>>> Handle(RenewRecoveryCodes cmd, CancellationToken ct)
    {
        var proven = await AccountChange.ProvenByCodeAsync(users, current.AccountId(), cmd.Code);
        if (proven.Error is { } refused) return refused;
        var (user, self) = proven.Value;
        IReadOnlyList<string> codes = [];
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, cmd.Count) ?? []];
            work.Audit(self.Subject, "account.recovery_codes_renewed", self.UserId, self.Role);
            return Result.Success();
        }, ct);
        return changed.IsSuccess ? Result<IReadOnlyList<string>>.Success(codes) : changed.Error!;
    }
}
