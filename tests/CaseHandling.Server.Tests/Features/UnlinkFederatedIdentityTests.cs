using System.Net;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// POST /api/admin/users/{id}/unlink-identity: the administrator unlinks an account's federated identity (docs/SIGN-IN.md).
/// The identity is linked here as a first federated sign-in links it (Identity's user login: issuer, subject, provider name).
/// </summary>
public sealed class UnlinkFederatedIdentityTests
{
    private const string Issuer = "https://idp.test.casehandling.nl/";

    private static async Task<(TestHost Host, World World)> Start()
    {
        var host = await TestHost.Get("unlink-identity");
        return (host, await World.Create(host, Sector.Vo));
    }

    private static async Task<UserView> LinkedAccount(TestHost host, HttpClient admin, params string[] providers)
    {
        var email = $"federated-{Guid.NewGuid():N}"[..24] + "@test.casehandling.nl";
        var view = await (await admin.Post("/api/admin/users", new CreateUser(email, "Gekoppeld", World.Password, StaffRole.Vertrouwensinspecteur, null)))
            .Read<UserView>(HttpStatusCode.Created);
        using var scope = host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByIdAsync(view.Id))!;
        foreach (var p in providers)
            Assert.That((await users.AddLoginAsync(user, new UserLoginInfo(Issuer + p, "subject-" + Guid.NewGuid().ToString("N"), p))).Succeeded);
        return view;
    }

    private static async Task<(int Logins, string? Stamp)> Identity(TestHost host, string userId)
    {
        using var scope = host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        return ((await users.GetLoginsAsync(user)).Count, user.SecurityStamp);
    }

    [Test]
    public async Task Administrator_Unlinks_TheIdentityIsGone_SessionsEnd_Audited()
    {
        var (host, w) = await Start();
        var account = await LinkedAccount(host, w.Admin, "surfconext", "inspectie");
        var listed = (await w.Admin.GetJson<List<UserView>>("/api/admin/users")).Single(u => u.Id == account.Id);
        Assert.That(listed.LinkedProviders, Is.EqualTo(new[] { "inspectie", "surfconext" }), "the administrator sees which providers are linked");
        var (_, stampBefore) = await Identity(host, account.Id);

        var after = await (await w.Admin.Post($"/api/admin/users/{account.Id}/unlink-identity", new { provider = "surfconext" })).Read<UserView>();

        Assert.That(after.LinkedProviders, Is.EqualTo(new[] { "inspectie" }), "only that provider's identity");
        var (logins, stampAfter) = await Identity(host, account.Id);
        Assert.That(logins, Is.EqualTo(1));
        Assert.That(stampAfter, Is.Not.EqualTo(stampBefore), "a new security stamp: sessions opened with the identity end");
        var audited = await Sql.Scalar<long>(host.ConnectionString,
            "SELECT count(*) FROM audit_entries WHERE subject_id = @id AND action = 'account.login_unlinked:surfconext' AND role = 'Administrator'",
            ("id", Guid.Parse(account.Id)));
        Assert.That(audited, Is.EqualTo(1));
    }

    [Test]
    public async Task OtherRoles_Forbidden_TheIdentityStays()
    {
        var (host, w) = await Start();
        var account = await LinkedAccount(host, w.Admin, "surfconext");
        foreach (var (who, client) in new[] { ("board", w.Board), ("staff", w.Staff), ("inspector", w.Inspector), ("meldpunt", w.Handler) })
            Assert.That((await client.Post($"/api/admin/users/{account.Id}/unlink-identity", new { provider = "surfconext" })).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden), who);
        Assert.That((await w.Anonymous.Post($"/api/admin/users/{account.Id}/unlink-identity", new { provider = "surfconext" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Identity(host, account.Id)).Logins, Is.EqualTo(1));
    }

    [Test]
    public async Task UnknownAccount_Or_NoIdentityOfThatProvider_404()
    {
        var (host, w) = await Start();
        var account = await LinkedAccount(host, w.Admin, "surfconext");
        Assert.That((await w.Admin.Post($"/api/admin/users/{Guid.NewGuid()}/unlink-identity", new { provider = "surfconext" })).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await w.Admin.Post($"/api/admin/users/{account.Id}/unlink-identity", new { provider = "inspectie" })).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Identity(host, account.Id)).Logins, Is.EqualTo(1));
    }

    [Test]
    public async Task NoProvider_400NamingTheField()
    {
        var (host, w) = await Start();
        var account = await LinkedAccount(host, w.Admin, "surfconext");
        var problem = await (await w.Admin.Post($"/api/admin/users/{account.Id}/unlink-identity", new { })).Problem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("provider", out _), Is.True);
        Assert.That((await Identity(host, account.Id)).Logins, Is.EqualTo(1));
    }
}
