using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The portal's navigation offers the incident register only where it applies: a po, vo or so school with the duty configured
/// (Rules:IncidentRegisterEffectiveFrom), to its board and to the staff members the board authorised.
/// </summary>
public sealed class PortalNavTests
{
    private const string Link = "href=\"/portaal/incidenten\"";

    private static async Task<string> Nav(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var start = html.IndexOf("<nav class=\"portal-nav\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"{page} has the portal's navigation");
        return html[start..html.IndexOf("</nav>", start, StringComparison.Ordinal)];
    }

    [TestCase(Sector.Po, true)]
    [TestCase(Sector.Vo, true)]
    [TestCase(Sector.So, true)]
    [TestCase(Sector.Mbo, false)]
    [TestCase(Sector.Ho, false)]
    public async Task RegisterLink_ForTheBoard_OnlyInTheSectorsTheDutyCovers(Sector sector, bool shown)
    {
        var w = await World.Create(await IncidentTests.InForce(), sector);
        Assert.That(await Nav(w.Board, "/portaal/taken"), shown ? Does.Contain(Link) : Does.Not.Contain(Link));
        Assert.That(await Nav(w.Board, "/portaal/zaken"), Does.Contain("href=\"/portaal/zaken\""), "the rest of the board's navigation stays");
    }

    [Test]
    public async Task RegisterLink_ForAStaffMember_OnlyOnceTheBoardAuthorisedThem()
    {
        var w = await World.Create(await IncidentTests.InForce(), Sector.Vo);
        Assert.That(await Nav(w.Staff, "/portaal/melden"), Does.Not.Contain(Link));
        var staff = (await w.Board.GetJson<List<IncidentRegistrarView>>("/api/incident-registrars")).Single();
        (await w.Board.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/incident-registrars/{staff.UserId}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { authorised = true }, options: CaseHandling.Server.Tests.Infrastructure.Api.Json),
        })).EnsureSuccessStatusCode();
        Assert.That(await Nav(w.Staff, "/portaal/melden"), Does.Contain(Link));
    }

    [Test]
    public async Task RegisterLink_NotShown_WhileTheDutyIsNotConfigured()
    {
        // The default host has no Rules:IncidentRegisterEffectiveFrom: the register has no duty behind it.
        var w = await World.Create(await TestHost.Get(), Sector.Po);
        Assert.That(await Nav(w.Board, "/portaal/taken"), Does.Not.Contain(Link));
        Assert.That((await w.Board.GetAsync("/portaal/taken")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
