namespace CaseHandling.Server.Infrastructure.Hosting;

/// <summary>Where the front ends live: the JSON API under /api, the pages everywhere else.</summary>
public static class PortalPaths
{
    public const string Api = "/api";
    /// <summary>The staff sign-in page (the staff portal's first page).</summary>
    public const string SignIn = "/aanmelden";
    /// <summary>
    /// Federated sign-in (docs/SIGN-IN.md): <c>{ExternalSignIn}/{provider}</c> goes to the provider, which answers at
    /// <c>{ExternalSignIn}/{provider}/callback</c>; this page itself completes the sign-in or says why not.
    /// </summary>
    public const string ExternalSignIn = "/aanmelden/extern";
    public const string AccessDenied = "/geen-toegang";
    /// <summary>The signed-in staff member's own account.</summary>
    public const string Account = "/account";
    /// <summary>TOTP enrolment; Security:RequireTwoFactor sends a staff member without TOTP here.</summary>
    public const string Enrolment = "/account/tweestapsverificatie";
    public const string SignOut = "/afmelden";
    /// <summary>Where a reset mail's link leads (with the account's id and the token).</summary>
    public const string ResetPassword = "/wachtwoord-herstellen";

    public static bool IsApi(PathString path) => path.StartsWithSegments(Api, StringComparison.OrdinalIgnoreCase);
}
