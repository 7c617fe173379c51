using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// A query a page needs fails: the page says so, with the error's status, and never shows an empty list or a zero (an
/// empty work list would read as "nothing due"). One page of each kind: a work list, counts, a detail page's part, and
/// the reporter's form. The queries fail through a pipeline behaviour of this host's, as a typed failure comes back.
/// </summary>
public sealed class PageLoadFailureTests
{
    private static TestHost _host = null!;
    private static World _w = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var shared = await TestHost.Get();
        _host = await TestHost.Get("page-load-failure", connectionString: shared.ConnectionString, keyStoreConnectionString: shared.KeyStoreConnectionString,
            services: s =>
            {
                Fail<ListOpenDuties, IReadOnlyList<OpenDutyView>>(s, new Forbidden("planted"));
                Fail<ListUsers, IReadOnlyList<UserView>>(s, new ConcurrencyConflict("planted"));
                Fail<GetAccessLog, IReadOnlyList<AccessLogEntry>>(s, new NotFound("planted"));
                Fail<ListPublicInstitutions, IReadOnlyList<PublicInstitution>>(s, new ConcurrencyConflict("planted"));
            });
        _w = await World.Create(shared);
    }

    private static async Task<HttpClient> Cookie(string email, string password)
    {
        var client = _host.CreateClient();
        (await client.Post("/api/auth/login?useCookies=true", new { email, password })).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<string> Page(HttpClient client, string path, HttpStatusCode expected)
    {
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), path);
        Assert.That(html, Does.Contain("id=\"load-failed\""), path);
        return html;
    }

    [Test]
    public async Task WorkList_QueryFails_SaysSo_NeverNoDutiesDue()
    {
        var board = await Cookie(_w.BoardSignIn, World.Password);
        var html = await Page(board, "/portaal/taken", HttpStatusCode.Forbidden);
        Assert.That(html, Does.Contain("Uw account mag deze gegevens niet inzien"));
        Assert.That(html, Does.Not.Contain("Er staan geen plichten open"));
    }

    [Test]
    public async Task AdministratorsCounts_QueryFails_SaysSo_NeverZero()
    {
        var admin = await Cookie(TestHost.AdminEmail, TestHost.AdminPassword);
        var html = await Page(admin, "/portaal/beheer?lang=en", HttpStatusCode.InternalServerError);
        Assert.That(html, Does.Contain("This is not an empty list"));
        Assert.That(html, Does.Not.Contain("Accounts: 0"));
    }

    [Test]
    public async Task CasePage_ItsAccessLogFails_SaysSo_NotAnEmptyLog()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var board = await Cookie(_w.BoardSignIn, World.Password);
        var html = await Page(board, $"/portaal/zaken/{c.Id}", HttpStatusCode.NotFound);
        Assert.That(html[html.IndexOf("<main", StringComparison.Ordinal)..], Does.Not.Contain(c.Number), "the case is not shown as if its log were empty");
    }

    [Test]
    public async Task ReporterForm_InstitutionsFail_SaysSo_NotAFormWithoutSchools()
    {
        var html = await Page(_host.CreateClient(), "/melden", HttpStatusCode.InternalServerError);
        Assert.That(html, Does.Not.Contain("<form"));
    }

    /// <summary>Answers <paramref name="error"/> for every <typeparamref name="TQuery"/> on this host, as a failing query would.</summary>
    private static void Fail<TQuery, TValue>(IServiceCollection services, Error error) where TQuery : IMessage =>
        services.AddScoped<IPipelineBehavior<TQuery, Result<TValue>>>(_ => new Failing<TQuery, TValue>(error));

    private sealed class Failing<TQuery, TValue>(Error error) : IPipelineBehavior<TQuery, Result<TValue>> where TQuery : IMessage
    {
        public ValueTask<Result<TValue>> Handle(TQuery message, MessageHandlerDelegate<TQuery, Result<TValue>> next, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Result<TValue>.Failure(error));
    }
}
