using System.Security.Claims;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>
/// Signing in with what an OpenID Connect provider said about the person (docs/SIGN-IN.md), after the provider's id token
/// was validated (signature, issuer, audience, nonce). The account is the administrator's, made beforehand with its role
/// and institution: there is no self-registration.
/// <list type="bullet">
/// <item>The identity (issuer and subject) linked to an account signs into that account, whatever e-mail address it now has.</item>
/// <item>A first sign-in links the identity to the account with the provider's verified e-mail address, once: an account
/// holds one identity per issuer. Without such an account nothing is made and nothing is stored.</item>
/// <item>Where Security:RequireTwoFactor is on (or the provider's MfaRequired), the token must show a second factor
/// (<c>acr</c>/<c>amr</c>); it then stands in for the TOTP code of a local sign-in. Checked before anything is linked.</item>
/// <item>A disabled account is refused, as with a password.</item>
/// </list>
/// The session is the one a local sign-in gets: Identity's cookie with the same claims (role, institution, account id, the
/// security stamp), and <c>amr=mfa</c> when a second factor was shown.
/// </summary>
public sealed record FederatedSignIn(string Provider, string Issuer, string Subject, string? Email, bool EmailVerified, string? Acr,
    IReadOnlyList<string> Amr) : ICommand<Result<FederatedSignedIn>>
{
    // Not IValidatable: the values come from a validated token, not a form, and are never echoed into a message or a log.
}

/// <param name="Linked">This sign-in linked the identity to the account (its first).</param>
public sealed record FederatedSignedIn(bool Linked);

public sealed class FederatedSignInHandler(
    FederatedOptions options,
    SecurityOptions security,
    UserManager<StaffUser> users,
    SignInManager<StaffUser> signIn,
    UnitOfWork work,
    ILogger<FederatedSignInHandler> log) : ICommandHandler<FederatedSignIn, Result<FederatedSignedIn>>
{
    public async ValueTask<Result<FederatedSignedIn>> Handle(FederatedSignIn cmd, CancellationToken ct)
    {
        if (!options.Providers.TryGetValue(cmd.Provider, out var provider)) return Refuse(cmd, SignInFailed.UnknownProvider);

        var secondFactor = provider.ShowsSecondFactor(cmd.Acr, cmd.Amr);
        if ((security.RequireTwoFactor || provider.MfaRequired) && !secondFactor) return Refuse(cmd, SignInFailed.SecondFactorMissing);

        var user = await users.FindByLoginAsync(cmd.Issuer, cmd.Subject);
        var linking = user is null;
        if (user is null)
        {
            if (!provider.MayLinkByEmail(cmd.Email, cmd.EmailVerified)) return Refuse(cmd, SignInFailed.NoAccount);
            user = await users.FindByEmailAsync(cmd.Email!.Trim());
            if (user is null) return Refuse(cmd, SignInFailed.NoAccount);
            // One identity per issuer per account: an address that has passed to someone else at the provider does not
            // take over the account (a unique index holds this against a race as well).
            if ((await users.GetLoginsAsync(user)).Any(l => l.LoginProvider == cmd.Issuer)) return Refuse(cmd, SignInFailed.LinkedToAnother);
        }
        // Disabled by the administrator (StaffSignInManager), checked before anything is linked.
        if (!await signIn.CanSignInAsync(user)) return Refuse(cmd, SignInFailed.Disabled);

        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        // The link, and the sign-in's record, commit together before the session is handed out.
        var recorded = await work.AtomicallyAsync("The account", async () =>
        {
            if (linking)
            {
                var added = await users.AddLoginAsync(user, new UserLoginInfo(cmd.Issuer, cmd.Subject, cmd.Provider));
                if (!added.Succeeded) return SignInFailed.LinkedToAnother;
                work.Audit(Guid.Parse(user.Id), $"account.login_linked:{cmd.Provider}", user.Id, role);
            }
            // What a sign-in is recorded as: the account, its role, the provider; not the subject, not the address.
            work.Audit(Guid.Parse(user.Id), $"account.signed_in:{cmd.Provider}", user.Id, role);
            return Result.Success();
        }, ct);
        if (recorded.Error is SignInFailed why) return Refuse(cmd, why);
        if (recorded.Error is { } error) return error;

        // The local sign-in's path: Identity builds the principal (ClaimsFactory: role, institution, account id, stamp).
        signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
        List<Claim> claims = [new(ClaimTypes.AuthenticationMethod, cmd.Provider)];
        if (secondFactor) claims.Add(new Claim("amr", "mfa"));
        await signIn.SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = false }, claims);
        return new FederatedSignedIn(linking);
    }

    private Result<FederatedSignedIn> Refuse(FederatedSignIn cmd, SignInFailed why)
    {
        // The reason and the provider, never the subject or the address.
        log.LogInformation("Federated sign-in refused: {Reason} (provider {Provider})", why.Reason, cmd.Provider);
        return why;
    }
}
