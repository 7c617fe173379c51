using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>
/// The account's authenticator key, made on first use and recorded as <c>account.authenticator_key_made</c> (the API's
/// set-up and the enrolment page share it). Making it renews the security stamp.
/// </summary>
public sealed record EnsureAuthenticatorKey : ICommand<Result<string>>;

public sealed class EnsureAuthenticatorKeyHandler(UserManager<StaffUser> users, CurrentUserAccessor current, UnitOfWork work)
    : ICommandHandler<EnsureAuthenticatorKey, Result<string>>
{
    public async ValueTask<Result<string>> Handle(EnsureAuthenticatorKey cmd, CancellationToken ct)
    {
        if (await users.FindByIdAsync(current.AccountId()) is not { } user) return new NotFound("The account");
        var self = await AccountChange.SelfAsync(users, user);
        if (await users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } existing) return existing;
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            var reset = await users.ResetAuthenticatorKeyAsync(user);
            if (!reset.Succeeded) return new ConcurrencyConflict("The account");
            work.Audit(self.Subject, "account.authenticator_key_made", self.UserId, self.Role);
            return Result.Success();
        }, ct);
        if (!changed.IsSuccess) return changed.Error!;
        return await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("Identity made no authenticator key.");
    }
}
