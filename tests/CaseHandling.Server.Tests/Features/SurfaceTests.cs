using System.Net;
using System.Text;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Microsoft.Extensions.Configuration;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Hosting:Surfaces (docs/CLUSTER.md): the reporter surface alone and the staff surface alone, each called on every route
/// of the access table; each answers only its own routes, and the reporter surface reads no sign-in at all.
/// </summary>
public sealed class SurfaceTests
{
    /// <summary>The reporter's routes in the access table: the pages and the reporter's API.</summary>
    private static bool IsReporterRoute(string pattern) =>
        pattern is "/" or "/melden" or "/opvolgen" or "/opvolgen/bestand" or "/verificatie" || pattern.StartsWith("/api/reports", StringComparison.Ordinal);

    private static async Task<(TestHost Host, Counter Reads)> Surface(string name, string surface)
    {
        var shared = await TestHost.Get();
        var reads = new Counter();
        var host = await TestHost.Get($"surface-{name}", new() { [Surfaces.Setting] = surface }, connectionString: shared.ConnectionString,
            keyStoreConnectionString: shared.KeyStoreConnectionString, services: s => CountAuthentication(s, reads));
        return (host, reads);
    }

    [TestCase("Reporter")]
    [TestCase("Staff")]
    public async Task OneSurfaceAlone_AnswersOnlyItsOwnRoutes_404ForEveryOther(string surface)
    {
        var (host, _) = await Surface(surface.ToLowerInvariant(), surface);
        var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var wrong = new List<string>();
        var id = Guid.NewGuid().ToString();
        foreach (var (method, pattern, _, _) in AccessTableTests.Table.Where(r => !r.Pattern.StartsWith("/health/", StringComparison.Ordinal)))
        {
            var path = pattern.Replace("{id:guid}", id).Replace("{userId}", id).Replace("{a:guid}", id).Replace("{b:guid}", id)
                .Replace("{documentName}", "v1").Replace("{provider}", "surfconext").Replace("/{**path}", "");
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            var ours = IsReporterRoute(pattern) == (surface == "Reporter");
            if (ours == (response.StatusCode == HttpStatusCode.NotFound))
                wrong.Add($"{method} {pattern}: {(int)response.StatusCode} ({(ours ? "this surface's route" : "the other surface's route")})");
        }
        // Both serve the health probes and the stylesheet.
        foreach (var path in new[] { "/health/live", "/css/site.css" })
            if ((await client.GetAsync(path)).StatusCode != HttpStatusCode.OK) wrong.Add($"GET {path} is not served");
        Assert.That(wrong, Is.Empty, string.Join("\n", wrong));
    }

    /// <summary>A staff member's cookie and token sent to the reporter surface are never read: authentication never runs there.</summary>
    [Test]
    public async Task ReporterSurface_StaffCookieAndToken_NeverRead()
    {
        var (reporter, reporterReads) = await Surface("reporter", "Reporter");
        var (all, allReads) = await Surface("all", "All");
        var staff = await World.SignIn(await TestHost.Get(), TestHost.AdminEmail, TestHost.AdminPassword);
        foreach (var (host, _) in new[] { (reporter, reporterReads), (all, allReads) })
        {
            var client = host.CreateClient();
            client.DefaultRequestHeaders.Authorization = staff.DefaultRequestHeaders.Authorization;
            client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Identity.Application=CfDJ8-a-staff-cookie");
            foreach (var path in new[] { "/", "/melden", "/opvolgen", "/api/reports/institutions" })
                Assert.That((await client.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            await client.GetAsync("/api/auth/me");
        }
        Assert.That(reporterReads.Value, Is.Zero, "the reporter surface read a sign-in");
        Assert.That(allReads.Value, Is.GreaterThan(0), "the check can fail: with both surfaces, the staff API reads the token");
        Assert.That((await reporter.CreateClient().GetStringAsync("/")), Does.Not.Contain("/aanmelden"), "no way to the staff sign-in from the public face");
    }

    [Test]
    public void UnknownSurface_StopsTheStart()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Surfaces.Setting] = "Public" }).Build();
        Assert.That(() => Surfaces.Read(config), Throws.InvalidOperationException.With.Message.Contains(Surfaces.Setting));
    }

    public sealed class Counter
    {
        private int _value;
        public int Value => _value;
        public void Add() => Interlocked.Increment(ref _value);
    }

    /// <summary>Counts every call into authentication (authenticate, challenge, forbid, sign-in, sign-out).</summary>
    private static void CountAuthentication(IServiceCollection services, Counter reads)
    {
        var original = services.Last(d => d.ServiceType == typeof(IAuthenticationService));
        services.Remove(original);
        services.Add(new ServiceDescriptor(typeof(IAuthenticationService), sp => new CountingAuthentication(
            (IAuthenticationService)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!), reads), original.Lifetime));
    }

    private sealed class CountingAuthentication(IAuthenticationService inner, Counter reads) : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(Microsoft.AspNetCore.Http.HttpContext context, string? scheme) { reads.Add(); return inner.AuthenticateAsync(context, scheme); }
        public Task ChallengeAsync(Microsoft.AspNetCore.Http.HttpContext context, string? scheme, AuthenticationProperties? properties) { reads.Add(); return inner.ChallengeAsync(context, scheme, properties); }
        public Task ForbidAsync(Microsoft.AspNetCore.Http.HttpContext context, string? scheme, AuthenticationProperties? properties) { reads.Add(); return inner.ForbidAsync(context, scheme, properties); }
        public Task SignInAsync(Microsoft.AspNetCore.Http.HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) { reads.Add(); return inner.SignInAsync(context, scheme, principal, properties); }
        public Task SignOutAsync(Microsoft.AspNetCore.Http.HttpContext context, string? scheme, AuthenticationProperties? properties) { reads.Add(); return inner.SignOutAsync(context, scheme, properties); }
    }
}
