using System.Text.RegularExpressions;
using CaseHandling.Server.Infrastructure.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>
/// Federated sign-in for staff (docs/SIGN-IN.md): OpenID Connect providers such as SURFconext or the Inspectorate's own
/// identity provider, each under <c>Authentication:Oidc:Providers:&lt;name&gt;</c>. The provider only says who the person is;
/// the account, with its role and institution, is the administrator's, made beforehand (no self-registration).
/// </summary>
public sealed class FederatedOptions
{
    public const string Section = "Authentication:Oidc";

    /// <summary>By name (lower-case letters, digits, '-'): the name is in the callback address and the audit trail.</summary>
    public Dictionary<string, FederatedProvider> Providers { get; set; } = new(StringComparer.Ordinal);
}

public sealed class FederatedProvider
{
    /// <summary>The issuer's address; its discovery document is read from {Authority}/.well-known/openid-configuration.</summary>
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>Given by the provider at registration; from a secret store or the environment, never from a committed file.</summary>
    public string? ClientSecret { get; set; }
    /// <summary>Shown on the button: "Aanmelden met {DisplayName}".</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// This provider's sign-ins must show a second factor even where Security:RequireTwoFactor is off. Where that setting
    /// is on, every provider's must.
    /// </summary>
    public bool MfaRequired { get; set; }
    /// <summary>Values of the id token's <c>acr</c> claim that count as a second factor (e.g. "https://refeds.org/profile/mfa").</summary>
    public List<string> MfaAcrValues { get; set; } = [];
    /// <summary>Values of the id token's <c>amr</c> claim that count as a second factor (RFC 8176: "mfa").</summary>
    public List<string> MfaAmrValues { get; set; } = ["mfa"];
    /// <summary>Sent as <c>acr_values</c> when a second factor is required, so the provider asks for one.</summary>
    public string? RequestAcrValues { get; set; }

    /// <summary>
    /// Link a first sign-in to the account with this e-mail address even without <c>email_verified=true</c> in the token:
    /// only for a provider whose addresses are the institutions' own (a federation such as SURFconext). Otherwise an
    /// address the provider did not verify links nothing.
    /// </summary>
    public bool EmailIsVerified { get; set; }
    /// <summary>When set, a first sign-in links only addresses in these domains (what this provider may speak for).</summary>
    public List<string> EmailDomains { get; set; } = [];
    /// <summary>Read the e-mail address from the userinfo endpoint (providers that leave it out of the id token).</summary>
    public bool UseUserInfo { get; set; }
    /// <summary>Only a local test provider over http sets this to false.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether the token shows a second factor: an <c>acr</c> or an <c>amr</c> value configured to count as one.</summary>
    public bool ShowsSecondFactor(string? acr, IEnumerable<string> amr) =>
        (acr is not null && MfaAcrValues.Contains(acr, StringComparer.Ordinal))
        || amr.Any(a => MfaAmrValues.Contains(a, StringComparer.Ordinal));

    /// <summary>Whether a first sign-in may link to the account with this address.</summary>
    public bool MayLinkByEmail(string? email, bool emailVerified)
    {
        if (string.IsNullOrWhiteSpace(email) || !(emailVerified || EmailIsVerified)) return false;
        if (EmailDomains.Count == 0) return true;
        var at = email.LastIndexOf('@');
        return at > 0 && EmailDomains.Contains(email[(at + 1)..], StringComparer.OrdinalIgnoreCase);
    }
}

public static partial class FederatedSignInSetup
{
    /// <summary>The authentication scheme of a provider.</summary>
    public static string SchemeOf(string provider) => "oidc-" + provider;

    /// <summary>Where the provider sends the browser back to (register this at the provider).</summary>
    public static string CallbackPathOf(string provider) => $"{PortalPaths.ExternalSignIn}/{provider}/callback";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex ProviderName();

    /// <summary>
    /// One OpenID Connect scheme per configured provider, signing into Identity's short-lived external cookie; the sign-in
    /// page (<c>/aanmelden/extern</c>) then links and signs in the account through the FederatedSignIn command. A bad
    /// setting fails at start-up, naming itself.
    /// </summary>
    public static IServiceCollection AddFederatedSignIn(this IServiceCollection services, IConfiguration config)
    {
        var section = config.GetSection(FederatedOptions.Section);
        var options = section.Get<FederatedOptions>() ?? new FederatedOptions();
        foreach (var (name, p) in options.Providers)
        {
            string Setting(string key) => $"{FederatedOptions.Section}:Providers:{name}:{key}";
            if (!ProviderName().IsMatch(name))
                throw new InvalidOperationException($"{FederatedOptions.Section}:Providers:{name}: a provider's name is lower-case letters, digits and '-'.");
            if (!Uri.TryCreate(p.Authority, UriKind.Absolute, out _)) throw new InvalidOperationException($"{Setting("Authority")} must be an absolute URL.");
            if (string.IsNullOrWhiteSpace(p.ClientId)) throw new InvalidOperationException($"{Setting("ClientId")} is not set.");
            if (string.IsNullOrWhiteSpace(p.DisplayName)) throw new InvalidOperationException($"{Setting("DisplayName")} is not set.");
        }
        services.AddSingleton(options);
        var auth = services.AddAuthentication();
        foreach (var (name, provider) in options.Providers)
            auth.AddOpenIdConnect(SchemeOf(name), provider.DisplayName, o => Configure(o, name, provider));
        return services;
    }

    private static void Configure(OpenIdConnectOptions o, string name, FederatedProvider p)
    {
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.Authority = p.Authority;
        o.ClientId = p.ClientId;
        o.ClientSecret = p.ClientSecret;
        o.RequireHttpsMetadata = p.RequireHttpsMetadata;
        o.CallbackPath = CallbackPathOf(name);
        // The authorization code flow with PKCE; the answer comes back as a plain redirect (query), which a SameSite=Lax
        // correlation cookie survives. A form_post answer is a cross-site POST, which would need SameSite=None cookies.
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        // Only what is needed to find the account: the subject, and the address for the first sign-in. No profile.
        o.Scope.Clear();
        o.Scope.Add(OpenIdConnectScope.OpenId);
        o.Scope.Add(OpenIdConnectScope.Email);
        o.GetClaimsFromUserInfoEndpoint = p.UseUserInfo;
        // The protocol's own claim names (sub, email, acr, amr), not the mapped WS-* ones; keep acr (deleted by default).
        o.MapInboundClaims = false;
        o.ClaimActions.Remove("acr");
        // The tokens are not kept: nothing calls the provider's APIs on the person's behalf.
        o.SaveTokens = false;
        o.Events.OnRedirectToIdentityProvider = ctx =>
        {
            var security = ctx.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.SecurityOptions>>().Value;
            if ((security.RequireTwoFactor || p.MfaRequired) && !string.IsNullOrWhiteSpace(p.RequestAcrValues))
                ctx.ProtocolMessage.AcrValues = p.RequestAcrValues;
            // The provider's pages in the language of ours.
            ctx.ProtocolMessage.UiLocales = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "nl";
            return Task.CompletedTask;
        };
        // The person cancelled at the provider, or its answer did not validate: say so on our page, in words, without the
        // provider's message (which is not ours to show) and without a 500.
        o.Events.OnRemoteFailure = ctx =>
        {
            var lang = ctx.Properties?.Items.TryGetValue("lang", out var l) == true && l == "en" ? "&lang=en" : "";
            ctx.Response.Redirect($"{PortalPaths.ExternalSignIn}?failed={Uri.EscapeDataString(name)}{lang}");
            ctx.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>What the challenge carries to the page that completes the sign-in.</summary>
    public static AuthenticationProperties ChallengeProperties(string provider, string? returnUrl, string lang) => new()
    {
        RedirectUri = PortalPaths.ExternalSignIn + (lang == "en" ? "?lang=en" : ""),
        Items = { ["provider"] = provider, ["returnUrl"] = returnUrl, ["lang"] = lang },
    };
}
