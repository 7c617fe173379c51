using System.Security.Claims;
using CaseHandling.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>
/// The bearer token's counterpart of the cookie's security-stamp check (docs/SIGN-IN.md, "Sessions end"). A token is
/// self-contained and good for an hour; Identity's bearer handler never looks at the account again. So after the request
/// is authenticated, a principal that came from a bearer token is held against its account, by the same rule as a cookie
/// session (<see cref="StaffSignInManager.ValidateSecurityStampAsync(ClaimsPrincipal?)"/>): the account exists, is not
/// disabled, and its security stamp is still the token's. Disabling an account, resetting its two-factor enrolment or
/// changing its password renews the stamp, so such a token is refused (401).
/// <para>
/// The answer is kept per account and stamp for at most <see cref="Interval"/> (the cookie's ValidationInterval), so an
/// account costs at most one lookup a minute per instance, however many requests its tokens make. The worst case: a token
/// checked just before the account was disabled is served for up to a minute after, as a cookie session is.
/// </para>
/// </summary>
public sealed class BearerStampCheck(RequestDelegate next, IMemoryCache cache, TimeProvider time)
{
    /// <summary>How long one check of an account holds; the same minute as the cookie's SecurityStampValidatorOptions.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>The scheme Identity's bearer handler writes into the tickets of its access tokens.</summary>
    private static readonly string AccessTokenScheme = IdentityConstants.BearerScheme + ":AccessToken";

    private sealed record Checked(bool Current, DateTimeOffset At);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { Succeeded: true } result
            && result.Ticket?.AuthenticationScheme == AccessTokenScheme
            && !await IsCurrentAsync(context, result.Principal!))
        {
            // Unauthenticated from here on: an endpoint that needs a signed-in user challenges with the bearer scheme (401).
            // The user is set through the authentication feature, which drops the stored authentication result with it.
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
        }
        await next(context);
    }

    private async Task<bool> IsCurrentAsync(HttpContext context, ClaimsPrincipal principal)
    {
        var signIn = context.RequestServices.GetRequiredService<SignInManager<StaffUser>>();
        var claims = signIn.Options.ClaimsIdentity;
        // A token without an account id or stamp cannot be held against its account: Identity's tokens always carry both.
        if (principal.FindFirstValue(claims.UserIdClaimType) is not { } userId
            || principal.FindFirstValue(claims.SecurityStampClaimType) is not { } stamp)
            return false;

        var key = (nameof(BearerStampCheck), userId, stamp);
        var now = time.GetUtcNow();
        // The freshness is judged on the injected clock (the cache's own expiry only bounds its memory).
        if (cache.TryGetValue(key, out Checked? seen) && seen is not null && now - seen.At < Interval) return seen.Current;

        var current = await signIn.ValidateSecurityStampAsync(principal) is not null;
        cache.Set(key, new Checked(current, now), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = 2 * Interval, Size = 1 });
        return current;
    }
}
