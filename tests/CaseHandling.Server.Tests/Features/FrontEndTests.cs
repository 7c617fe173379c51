using System.Net;
using CaseHandling.Server.Features.Auth;
using CaseHandling.Server.Tests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

/// <summary>One core, two front ends: the API answers in status codes, a page sends the browser to sign in.</summary>
public sealed class FrontEndTests
{
    private TestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await TestHost.Get();

    [Test]
    public async Task SignedOut_ApiAnswers401_PageRedirectsToSignInAndBack()
    {
        var browser = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var api = await browser.GetAsync("/api/cases");
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(api.Headers.Location, Is.Null, "the API never redirects");

        var page = await browser.GetAsync("/hangfire");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(page.Headers.Location!.OriginalString, Does.StartWith("http://localhost/aanmelden?ReturnUrl=%2Fhangfire"));
    }

    /// <summary>A browser asks for /favicon.ico on every page: nothing is there, so a 404, never the sign-in page (and its cookie).</summary>
    [Test]
    public async Task SignedOut_AddressWithNothingThere_NotFoundNoRedirectNoCookie()
    {
        var browser = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var path in new[] { "/favicon.ico", "/bestaat-niet" })
        {
            var response = await browser.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(response.Headers.Contains("Set-Cookie"), Is.False, path);
        }
    }

    [Test]
    public async Task SignedInWithoutTheRole_ApiAnswers403_PageRedirectsToAccessDenied()
    {
        var w = await World.Create(_host);
        var board = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await board.Post("/api/auth/login?useCookies=true", new { email = await EmailOf(w.Board), password = World.Password })).EnsureSuccessStatusCode();

        Assert.That((await board.GetAsync("/api/admin/users")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var page = await board.GetAsync("/hangfire");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(page.Headers.Location!.OriginalString, Does.Contain("/geen-toegang"));
    }

    /// <summary>The sign-in command is the one both front ends use: through Mediator, a wrong password is an expected failure.</summary>
    [Test]
    public async Task SignInCommand_WrongPassword_SignInFailedNotAnException()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext = http;
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>()
            .Send(new SignIn("niemand@test.casehandling.nl", "not-the-password", null, SignInChannel.Cookie)); // not the shared administrator: a failed sign-in there races with others
        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.Error, Is.EqualTo(Domain.Common.SignInFailed.Wrong));
        var missing = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SignIn(" ", "", null, SignInChannel.Bearer));
        Assert.That(((Domain.Common.ValidationFailed)missing.Error!).Fields.Keys, Is.EquivalentTo(new[] { "email", "password" }));
    }

    private static async Task<string> EmailOf(HttpClient client) =>
        (await client.GetJson<System.Text.Json.JsonElement>("/api/auth/me")).GetProperty("email").GetString()!;
}
