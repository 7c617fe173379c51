using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Errors;
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

public sealed class SignInHandler(SignInManager<StaffUser> signIn) : ICommandHandler<SignIn, Result<SignedIn>>
{
    public async ValueTask<Result<SignedIn>> Handle(SignIn cmd, CancellationToken ct)
    {
        var missing = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(cmd.Email)) missing["email"] = ["Required."];
        if (string.IsNullOrEmpty(cmd.Password)) missing["password"] = ["Required."];
        if (missing.Count > 0) return new ValidationFailed(missing);

        signIn.AuthenticationScheme = cmd.Channel == SignInChannel.Cookie ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(cmd.Email!.Trim(), cmd.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            // Identity keeps the half-signed-in user for the rest of this request, so the code can follow at once.
            if (!string.IsNullOrWhiteSpace(cmd.RecoveryCode))
                // Identity's codes are upper case (XXXXX-XXXXX); people may type them otherwise.
                result = await signIn.TwoFactorRecoveryCodeSignInAsync(cmd.RecoveryCode.Replace(" ", "").Trim().ToUpperInvariant());
            else if (!string.IsNullOrWhiteSpace(cmd.TwoFactorCode))
                result = await signIn.TwoFactorAuthenticatorSignInAsync(cmd.TwoFactorCode.Replace(" ", ""), isPersistent: false, rememberClient: false);
            else
                return SignInFailed.CodeRequired;
        }
        if (result.IsLockedOut) return SignInFailed.LockedOut;
        // The bearer handler has written the token response; the cookie handler has set the cookie.
        return result.Succeeded ? new SignedIn(cmd.Channel) : SignInFailed.Wrong;
    }
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
