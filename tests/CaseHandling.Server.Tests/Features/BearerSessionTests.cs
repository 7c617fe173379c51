using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// A bearer token is held against its account as a cookie session is (docs/SIGN-IN.md, "Sessions end"): once the account
/// is disabled or its security stamp renewed (a changed password), the token is refused (401) within a minute. The host's
/// clock is the test's, so that the minute can be seen to pass; real PostgreSQL, real Identity.
/// </summary>
public sealed class BearerSessionTests
{
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);

    private static Task<TestHost> Host() => TestHost.Get("bearer-clock", services: s => s.AddSingleton<TimeProvider>(Clock));

    /// <summary>A board member of a new institution, signed in with a bearer token; the token's text for a second client.</summary>
    private static async Task<(UserView Account, HttpClient Client, string Token)> Board(TestHost host, HttpClient admin)
    {
        var institution = await World.Institution(admin, $"School {Guid.NewGuid():N}"[..20], Sector.Vo);
        var email = $"board-{Guid.NewGuid():N}"[..22] + "@test.casehandling.nl";
        var account = await (await admin.Post("/api/admin/users", new CreateUser(email, "Bestuurder", World.Password, StaffRole.Board, institution.Id)))
            .Read<UserView>(HttpStatusCode.Created);
        var client = await World.SignIn(host, email, World.Password);
        return (account, client, client.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    [Test]
    public async Task BearerToken_AccountDisabled_RefusedWithinAMinute_OtherTokensServed()
    {
        var host = await Host();
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var (account, board, _) = await Board(host, admin);
        var (_, otherBoard, _) = await Board(host, admin);
        Assert.That((await board.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await (await admin.PostAsync($"/api/admin/users/{account.Id}/disable", null)).Read<UserView>();
        // The documented window: the account was checked less than a minute ago, and that answer holds for the minute.
        Assert.That((await board.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "checked less than a minute ago");

        Clock.Advance(BearerStampCheck.Interval + TimeSpan.FromSeconds(1));
        var refused = await board.GetAsync("/api/cases");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a disabled account's token is refused a minute later");
        Assert.That(refused.Headers.WwwAuthenticate.ToString(), Does.Contain("Bearer"));
        Assert.That((await board.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        // The token has an hour to run; it is the account that ended it. Another account's token, as old, is served.
        Assert.That((await otherBoard.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await admin.GetAsync("/api/admin/users")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Disabling renewed the stamp: enabled again, the account needs a new sign-in; the old token stays refused.
        await (await admin.PostAsync($"/api/admin/users/{account.Id}/enable", null)).Read<UserView>();
        Clock.Advance(BearerStampCheck.Interval + TimeSpan.FromSeconds(1));
        Assert.That((await board.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the old token stays refused");
        var again = await World.SignIn(host, account.Email, World.Password);
        Assert.That((await again.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task BearerToken_PasswordChanged_RefusedWithinAMinute_NewSignInServed()
    {
        var host = await Host();
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var (account, board, token) = await Board(host, admin);
        Assert.That((await board.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // The person changes the password elsewhere (the portal's page makes this same call), which renews the stamp.
        const string newPassword = "Nieuw-wachtwoord-2026";
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var changed = await users.ChangePasswordAsync((await users.FindByIdAsync(account.Id))!, World.Password, newPassword);
            Assert.That(changed.Succeeded, Is.True, string.Join(" ", changed.Errors.Select(e => e.Code)));
        }

        Clock.Advance(BearerStampCheck.Interval + TimeSpan.FromSeconds(1));
        // A second client with the same token: what counts is the token, not a client's state.
        var sameToken = host.CreateClient();
        sameToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.That((await sameToken.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await board.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var again = await World.SignIn(host, account.Email, newPassword);
        Assert.That((await again.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>
    /// The login answers a refresh token beside the access token, but no endpoint exchanges one (no Identity refresh route
    /// is mapped): a disabled account gets no new token that way either. Should a refresh route be added, Identity's own
    /// refresh checks the stamp through <see cref="StaffSignInManager"/>, which refuses a disabled account; this test then still holds.
    /// </summary>
    [Test]
    public async Task Refresh_DisabledAccount_GetsNoNewToken()
    {
        var host = await Host();
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var institution = await World.Institution(admin, $"School {Guid.NewGuid():N}"[..20], Sector.Vo);
        var email = $"board-{Guid.NewGuid():N}"[..22] + "@test.casehandling.nl";
        var account = await (await admin.Post("/api/admin/users", new CreateUser(email, "Bestuurder", World.Password, StaffRole.Board, institution.Id)))
            .Read<UserView>(HttpStatusCode.Created);
        var tokens = await (await host.CreateClient().Post("/api/auth/login", new { email, password = World.Password })).Read<JsonElement>();
        var refreshToken = tokens.GetProperty("refreshToken").GetString();
        Assert.That(refreshToken, Is.Not.Empty);

        await (await admin.PostAsync($"/api/admin/users/{account.Id}/disable", null)).Read<UserView>();
        var refresh = await host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        var body = await refresh.Content.ReadAsStringAsync();
        Assert.That(refresh.IsSuccessStatusCode, Is.False, body);
        Assert.That(body, Does.Not.Contain("accessToken"));
    }
}
