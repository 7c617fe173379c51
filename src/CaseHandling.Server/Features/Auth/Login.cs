using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Errors;
using CaseHandling.Server.Infrastructure.Persistence;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>How the signed-in session is carried: a bearer token for API clients, the Identity cookie for the browser.</summary>
public enum SignInChannel { Bearer, Cookie }

/// <summary>
/// Sign-in for staff, the same command for the API and the pages. A user with TOTP two-factor enabled must give
/// <see cref="TwoFactorCode"/>, or one of the recovery codes shown at enrolment (<see cref="RecoveryCode"/>, each good
/// once, for when the phone is lost); without either the answer says a code is needed. Failed attempts count towards
/// lockout. There is no self-registration: the administrator creates accounts.
/// </summary>
public sealed record SignIn(string? Email, string? Password, string? TwoFactorCode, SignInChannel Channel, string? RecoveryCode = null)
    : ICommand<Result<SignedIn>>
{
    // Not IValidatable on purpose: a password is never echoed into a validation message, and both fields are checked here.
}

public sealed record SignedIn(SignInChannel Channel);

public sealed class SignInHandler(SignInManager<StaffUser> signIn, UnitOfWork work) : ICommandHandler<SignIn, Result<SignedIn>>
{
    public async ValueTask<Result<SignedIn>> Handle(SignIn cmd, CancellationToken ct)
    {
        var missing = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(cmd.Email)) missing["email"] = ["Required."];
        if (string.IsNullOrEmpty(cmd.Password)) missing["password"] = ["Required."];
        if (missing.Count > 0) return new ValidationFailed(missing);

        signIn.AuthenticationScheme = cmd.Channel == SignInChannel.Cookie ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        // Each attempt on an account changes it (its count of failed attempts, its lockout; a success resets them): the
        // attempt and its audit entry commit together, as every change does. An address with no account changes nothing.
        var user = await signIn.UserManager.FindByNameAsync(cmd.Email!.Trim());
        var role = user is null ? "" : (await signIn.UserManager.GetRolesAsync(user)).FirstOrDefault() ?? "";
        var result = Microsoft.AspNetCore.Identity.SignInResult.Failed;
        var recorded = await work.AtomicallyAsync("The account", async () =>
        {
            result = await Attempt(cmd);
            if (user is not null && Recorded(result) is { } action)
            {
                // Who acted: the person, once they proved it; before that, whoever typed the address.
                if (result.Succeeded) work.Audit(Guid.Parse(user.Id), action, user.Id, role);
                else work.Audit(Guid.Parse(user.Id), action, Shared.Actors.Anonymous, Shared.Actors.AnonymousRole);
            }
            return Result.Success();
        }, ct);
        if (!recorded.IsSuccess) return recorded.Error!;
        if (result.RequiresTwoFactor) return SignInFailed.CodeRequired;
        if (result.IsLockedOut) return SignInFailed.LockedOut;
        // The bearer handler has written the token response; the cookie handler has set the cookie.
        return result.Succeeded ? new SignedIn(cmd.Channel) : SignInFailed.Wrong;
    }

    private async Task<Microsoft.AspNetCore.Identity.SignInResult> Attempt(SignIn cmd)
    {
        var result = await signIn.PasswordSignInAsync(cmd.Email!.Trim(), cmd.Password!, isPersistent: false, lockoutOnFailure: true);
        if (!result.RequiresTwoFactor) return result;
        // Identity keeps the half-signed-in user for the rest of this request, so the code can follow at once.
        if (!string.IsNullOrWhiteSpace(cmd.RecoveryCode))
            // Identity's codes are upper case (XXXXX-XXXXX); people may type them otherwise.
            return await signIn.TwoFactorRecoveryCodeSignInAsync(cmd.RecoveryCode.Replace(" ", "").Trim().ToUpperInvariant());
        if (!string.IsNullOrWhiteSpace(cmd.TwoFactorCode))
            return await signIn.TwoFactorAuthenticatorSignInAsync(cmd.TwoFactorCode.Replace(" ", ""), isPersistent: false, rememberClient: false);
        return result;
    }

    /// <summary>
    /// What an attempt is recorded as. The password alone, with a second step to come, changes nothing yet (Identity
    /// resets the counters only when the sign-in completes); nor does an attempt refused before the password is checked.
    /// </summary>
    private static string? Recorded(Microsoft.AspNetCore.Identity.SignInResult result) =>
        result.Succeeded ? "account.signed_in:password"
        : result.IsLockedOut ? "account.sign_in_locked_out"
        : result.RequiresTwoFactor || result.IsNotAllowed ? null
        : "account.sign_in_failed";
}

/// <summary>The API's sign-in endpoint: a bearer token (default) or the cookie (?useCookies=true).</summary>
public sealed record LoginRequest(string? Email, string? Password, string? TwoFactorCode, string? TwoFactorRecoveryCode = null);

public static class Login
{
    public static async Task<IResult> Handle(LoginRequest request, bool? useCookies, IMediator mediator, CancellationToken ct)
    {
        var result = await mediator.Send(new SignIn(request.Email, request.Password, request.TwoFactorCode,
            useCookies == true ? SignInChannel.Cookie : SignInChannel.Bearer, request.TwoFactorRecoveryCode), ct);
        return ErrorMapper.ToHttp(result, _ => TypedResults.Empty);
    }
}
