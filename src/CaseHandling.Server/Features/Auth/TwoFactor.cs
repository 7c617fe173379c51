using System.Security.Claims;
using CaseHandling.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Mediator;

namespace CaseHandling.Server.Features.Auth;

/// <summary>TOTP two-factor set-up: get the shared key (authenticator app), then enable with a code from the app.</summary>
public static class TwoFactor
{
    public sealed record SetupResponse(string SharedKey, string AuthenticatorUri, bool Enabled);
    public sealed record EnableRequest(string? Code);

    public static async Task<Results<Ok<SetupResponse>, NotFound, ProblemHttpResult>> Setup(ClaimsPrincipal principal, UserManager<StaffUser> users,
        IMediator mediator, CancellationToken ct)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.NotFound();
        var key = await mediator.Send(new EnsureAuthenticatorKey(), ct);
        if (key.Error is { } error) return Problem(error);
        return TypedResults.Ok(new SetupResponse(key.Value!, AuthenticatorUri(user, key.Value!), user.TwoFactorEnabled));
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

    public static async Task<Results<NoContent, ValidationProblem, NotFound, ProblemHttpResult>> Enable(
        EnableRequest request, IMediator mediator, CancellationToken ct)
    {
        var enabled = await mediator.Send(new EnableTwoFactor(request.Code), ct);
        return enabled.Error switch
        {
            null => TypedResults.NoContent(),
            Domain.Common.ValidationFailed invalid => TypedResults.ValidationProblem(invalid.Fields, title: "Invalid input"),
            Domain.Common.NotFound => TypedResults.NotFound(),
            { } other => Problem(other),
        };
    }

    /// <summary>Another expected failure (the account changed meanwhile), as the API's one mapping says it.</summary>
    private static ProblemHttpResult Problem(Domain.Common.Error error) => (ProblemHttpResult)Infrastructure.Errors.ErrorMapper.ToHttp(error);
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
