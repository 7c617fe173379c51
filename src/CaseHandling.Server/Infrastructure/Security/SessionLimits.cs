using System.Globalization;
using CaseHandling.Server.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>
/// The two limits on a staff session (docs/CONFIGURATION.md, Security:*). Idle: the cookie's own expiry,
/// sliding while the person works (Security:IdleTimeoutMinutes). Absolute: however active, a session ends a fixed
/// time after sign-in (Security:AbsoluteSessionHours).
///
/// The absolute limit cannot be read from the ticket's IssuedUtc: sliding expiration re-issues the cookie, and with it
/// IssuedUtc, every time it renews. So the moment of sign-in is written into the ticket's properties once, when the
/// cookie is first made, and every renewal carries it along.
/// </summary>
public static class SessionLimits
{
    /// <summary>The ticket property holding the moment of sign-in (round-trip format, UTC).</summary>
    public const string SignedInAtKey = "ch.signed-in-at";

    /// <summary>When the session began: the stamp written at sign-in, or (a cookie from before the stamp) its IssuedUtc.</summary>
    public static DateTimeOffset? SignedInAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(SignedInAtKey, out var s)
        && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : properties.IssuedUtc;

    /// <summary>
    /// Whether the session is past its absolute limit. A session whose start is unknown is treated as over: it cannot
    /// be shown to be young enough.
    /// </summary>
    public static bool IsPastAbsoluteLimit(DateTimeOffset? signedInAt, DateTimeOffset now, TimeSpan limit) =>
        signedInAt is not { } start || now - start > limit;

    /// <summary>Sets the idle expiry and hooks the absolute limit into the cookie's events, keeping Identity's own check.</summary>
    public static void Apply(CookieAuthenticationOptions o, SecurityOptions security)
    {
        o.ExpireTimeSpan = TimeSpan.FromMinutes(security.IdleTimeoutMinutes);
        o.SlidingExpiration = true;
        var limit = TimeSpan.FromHours(security.AbsoluteSessionHours);

        var signingIn = o.Events.OnSigningIn;
        o.Events.OnSigningIn = ctx =>
        {
            // A re-sign-in within the session (after enrolment, after a password change) keeps the session's start.
            if (!ctx.Properties.Items.ContainsKey(SignedInAtKey))
                ctx.Properties.Items[SignedInAtKey] = Now(ctx.Options).ToString("O", CultureInfo.InvariantCulture);
            return signingIn(ctx);
        };

        // Identity's security-stamp check (a changed password ends other sessions) stays; the limit is checked first.
        var validate = o.Events.OnValidatePrincipal;
        o.Events.OnValidatePrincipal = async ctx =>
        {
            if (IsPastAbsoluteLimit(SignedInAt(ctx.Properties), Now(ctx.Options), limit))
            {
                ctx.RejectPrincipal();
                await ctx.HttpContext.SignOutAsync(ctx.Scheme.Name);
                return;
            }
            await validate(ctx);
        };
    }

    // The cookie handler's own clock (from the container's TimeProvider), so that a test's clock moves both.
    private static DateTimeOffset Now(CookieAuthenticationOptions o) => (o.TimeProvider ?? TimeProvider.System).GetUtcNow();
}
