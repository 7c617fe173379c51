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
        var me = current.Get();
        if (await users.FindByIdAsync(me.UserId) is not { } user) return new NotFound("The account");
        if (!await TwoFactor.IsValidCode(users, user, cmd.Code)) return ValidationFailed.Single("code", "The code is not valid.");
        IReadOnlyList<string> codes = [];
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            var enabled = await users.SetTwoFactorEnabledAsync(user, true);
            if (!enabled.Succeeded) return new ConcurrencyConflict("The account");
            if (cmd.RecoveryCodes > 0) codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, cmd.RecoveryCodes) ?? []];
            work.Audit(Guid.Parse(user.Id), "account.two_factor_enabled", me);
            return Result.Success();
        }, ct);
        return changed.IsSuccess ? Result<IReadOnlyList<string>>.Success(codes) : changed.Error!;
    }
}

/// <summary>New recovery codes, the old ones void, after a code from the app. Recorded as <c>account.recovery_codes_renewed</c>.</summary>
public sealed record RenewRecoveryCodes(string? Code, int Count) : ICommand<Result<IReadOnlyList<string>>>;

public sealed class RenewRecoveryCodesHandler(UserManager<StaffUser> users, CurrentUserAccessor current, UnitOfWork work)
    : ICommandHandler<RenewRecoveryCodes, Result<IReadOnlyList<string>>>
{
    public async ValueTask<Result<IReadOnlyList<string>>> Handle(RenewRecoveryCodes cmd, CancellationToken ct)
    {
        var me = current.Get();
        if (await users.FindByIdAsync(me.UserId) is not { } user) return new NotFound("The account");
        if (!await TwoFactor.IsValidCode(users, user, cmd.Code)) return ValidationFailed.Single("code", "The code is not valid.");
        IReadOnlyList<string> codes = [];
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, cmd.Count) ?? []];
            work.Audit(Guid.Parse(user.Id), "account.recovery_codes_renewed", me);
            return Result.Success();
        }, ct);
        return changed.IsSuccess ? Result<IReadOnlyList<string>>.Success(codes) : changed.Error!;
    }
}

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
        var me = current.Get();
        if (await users.FindByIdAsync(me.UserId) is not { } user) return new NotFound("The account");
        if (await users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } existing) return existing;
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            var reset = await users.ResetAuthenticatorKeyAsync(user);
            if (!reset.Succeeded) return new ConcurrencyConflict("The account");
            work.Audit(Guid.Parse(user.Id), "account.authenticator_key_made", me);
            return Result.Success();
        }, ct);
        if (!changed.IsSuccess) return changed.Error!;
        return await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("Identity made no authenticator key.");
    }
}
