using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>Who is signed in at the test provider, and what its id token says about them.</summary>
public sealed record TestIdpUser(string Subject, string? Email, bool? EmailVerified = true, string? Acr = null, params string[] Amr);

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) in the test process, on Kestrel over loopback: discovery, JWKS,
/// the authorization endpoint and the token endpoint, with signed id tokens, PKCE and client authentication, as a real
/// provider has them. Degraded mode (no store): the one client is checked by the handlers below, and its authorization
/// codes are self-contained. Its "login page" approves <see cref="User"/> at once, the person the test says is signed in
/// there.
///
/// It answers at http://localhost:{port}, while the app is at http://127.0.0.1:{port}: another site, as SURFconext is for
/// the app, so that the browser treats the provider's redirects as cross-site (SameSite cookies) as it would in production.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "casehandling";
    public string ClientSecret { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _redirectUris = new();

    /// <summary>The issuer (and authority) as the app is configured with it.</summary>
    public Uri Issuer { get; private set; } = null!;

    /// <summary>The person signed in at the provider; the authorization endpoint approves them without asking.</summary>
    public TestIdpUser? User { get; set; }

    /// <summary>How many authorization requests the provider approved (a sign-in really went through it).</summary>
    public int Approved => _approved;
    private int _approved;

    /// <summary>The last authorization request's acr_values (what the app asked for).</summary>
    public string? LastAcrValues { get; private set; }

    private TestOidcProvider(WebApplication app) => _app = app;

    /// <summary>Allows the app's callback address (known once the app has its port).</summary>
    public void AllowRedirect(Uri uri) => _redirectUris[uri.AbsoluteUri] = true;

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        TestOidcProvider? self = null;
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            // No issuer set: OpenIddict takes it from the request (http://localhost:{port}/), which the port decides.
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.Email, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.DisableAccessTokenEncryption();
            o.EnableDegradedMode();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            // Degraded mode: the client and its redirect addresses are checked here instead of in an application store.
            o.AddEventHandler<ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(ctx =>
            {
                if (ctx.ClientId != ClientId) ctx.Reject(Errors.InvalidClient, "Unknown client.");
                else if (ctx.RedirectUri is null || !self!._redirectUris.ContainsKey(ctx.RedirectUri)) ctx.Reject(Errors.InvalidRequest, "Unknown redirect_uri.");
                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(h => h.UseInlineHandler(ctx =>
            {
                if (ctx.ClientId != ClientId || ctx.ClientSecret != self!.ClientSecret) ctx.Reject(Errors.InvalidClient, "Wrong client credentials.");
                return default;
            }));
        });
        var app = builder.Build();
        self = new TestOidcProvider(app);
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            self.LastAcrValues = request.AcrValues;
            var user = self.User ?? throw new InvalidOperationException("The test set no user at the provider.");
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, user.Subject);
            if (user.Email is not null) identity.SetClaim(Claims.Email, user.Email);
            if (user.EmailVerified is { } verified) identity.AddClaim(new Claim(Claims.EmailVerified, verified ? "true" : "false", ClaimValueTypes.Boolean));
            if (user.Acr is not null) identity.SetClaim(Claims.AuthenticationContextReference, user.Acr);
            foreach (var amr in user.Amr) identity.AddClaim(new Claim(Claims.AuthenticationMethodReference, amr));
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            Interlocked.Increment(ref self._approved);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        self.Issuer = new Uri($"http://localhost:{address.Port}/");
        return self;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
