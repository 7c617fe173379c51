using CaseHandling.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>
/// Sign-in for staff: a bearer token for API clients (default) or the Identity cookie (?useCookies=true).
/// A user with TOTP two-factor enabled must send <see cref="TwoFactorCode"/>. Failed attempts count
/// towards lockout. There is no self-registration: the administrator creates accounts.
/// </summary>
public sealed record LoginRequest(string? Email, string? Password, string? TwoFactorCode);

public static class Login
{
    public static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Handle(
        LoginRequest request, bool? useCookies, SignInManager<StaffUser> signIn)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Required."];
            if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Required."];
            return TypedResults.ValidationProblem(errors, title: "Invalid input");
        }

        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.Email, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            if (string.IsNullOrWhiteSpace(request.TwoFactorCode))
                return TypedResults.Problem("A two-factor code is required.", statusCode: StatusCodes.Status401Unauthorized,
                    title: "Two-factor code required", type: "urn:casehandling:error:two_factor_required");
            result = await signIn.TwoFactorAuthenticatorSignInAsync(request.TwoFactorCode.Replace(" ", ""), isPersistent: false, rememberClient: false);
        }
        if (!result.Succeeded)
            return TypedResults.Problem(result.IsLockedOut ? "Too many attempts; try again later." : "Wrong e-mail, password or code.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", type: "urn:casehandling:error:sign_in_failed");
        // The bearer handler has written the token response; the cookie handler has set the cookie.
        return TypedResults.Empty;
    }
}
