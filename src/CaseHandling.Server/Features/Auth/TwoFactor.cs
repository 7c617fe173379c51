using System.Security.Claims;
using CaseHandling.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>TOTP two-factor set-up: get the shared key (authenticator app), then enable with a code from the app.</summary>
public static class TwoFactor
{
    public sealed record SetupResponse(string SharedKey, string AuthenticatorUri, bool Enabled);
    public sealed record EnableRequest(string? Code);

    public static async Task<Results<Ok<SetupResponse>, NotFound>> Setup(ClaimsPrincipal principal, UserManager<StaffUser> users)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.NotFound();
        var key = await KeyOf(users, user);
        return TypedResults.Ok(new SetupResponse(key, AuthenticatorUri(user, key), user.TwoFactorEnabled));
    }

    /// <summary>The account's authenticator key, made on first use (the API's set-up and the enrolment page share it).</summary>
    public static async Task<string> KeyOf(UserManager<StaffUser> users, StaffUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (!string.IsNullOrEmpty(key)) return key;
        await users.ResetAuthenticatorKeyAsync(user);
        return await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("Identity made no authenticator key.");
    }

    /// <summary>What an authenticator app reads from the QR code (Key Uri Format): issuer, account and key.</summary>
    public static string AuthenticatorUri(StaffUser user, string key) =>
        $"otpauth://totp/CaseHandling:{Uri.EscapeDataString(user.Email ?? user.Id)}?secret={key}&issuer=CaseHandling&digits=6";

    /// <summary>Whether a code from the app matches the account's key (spaces allowed, as apps show "123 456").</summary>
    public static async Task<bool> IsValidCode(UserManager<StaffUser> users, StaffUser user, string? code)
    {
        code = code?.Replace(" ", "").Trim();
        return !string.IsNullOrEmpty(code) && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
    }

    public static async Task<Results<NoContent, ValidationProblem, NotFound>> Enable(
        EnableRequest request, ClaimsPrincipal principal, UserManager<StaffUser> users)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.NotFound();
        if (!await IsValidCode(users, user, request.Code))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["The code is not valid."] }, title: "Invalid input");
        await users.SetTwoFactorEnabledAsync(user, true);
        return TypedResults.NoContent();
    }
}

/// <summary>Who am I: id, name, role, institution, two-factor state.</summary>
public static class Me
{
    public sealed record MeResponse(string Id, string? Email, string DisplayName, string[] Roles, Guid? InstitutionId, bool TwoFactorEnabled, bool SignedInWithTwoFactor);

    public static async Task<Results<Ok<MeResponse>, NotFound>> Handle(ClaimsPrincipal principal, UserManager<StaffUser> users)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.NotFound();
        var roles = (await users.GetRolesAsync(user)).ToArray();
        return TypedResults.Ok(new MeResponse(user.Id, user.Email, user.DisplayName, roles, user.InstitutionId, user.TwoFactorEnabled,
            principal.HasClaim("amr", "mfa")));
    }
}
