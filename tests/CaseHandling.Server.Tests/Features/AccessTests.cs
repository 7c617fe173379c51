using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>Per role: another institution's case is 404; a step that is not the role's is 403; anonymous is 401.</summary>
public sealed class AccessTests
{
    private World _w = null!;
    private CaseRef _case = null!;

    [SetUp]
    public async Task SetUp()
    {
        _w = await World.Create(await TestHost.Get());
        _case = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await _w.Consult(_case.Id)).Read<CaseRef>();
    }

    [Test]
    public async Task Board_OtherInstitutionsCase_NotFoundForReadsAndSteps()
    {
        Assert.That((await _w.OtherBoard.GetAsync($"/api/cases/{_case.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await (await _w.OtherBoard.Post($"/api/cases/{_case.Id}/follow-up", new { followUp = "None", reasoning = "x" })).Problem(HttpStatusCode.NotFound);
        var list = await _w.OtherBoard.GetJson<List<CaseHandling.Server.Features.Cases.CaseListItem>>("/api/cases");
        Assert.That(list.Select(c => c.Id), Has.None.EqualTo(_case.Id));
        var duties = await _w.OtherBoard.GetJson<List<CaseHandling.Server.Features.Cases.OpenDutyView>>("/api/duties");
        Assert.That(duties.Select(d => d.CaseId), Has.None.EqualTo(_case.Id));
    }

    [Test]
    public async Task Board_InspectorsStep_Forbidden()
    {
        await (await _w.Board.Post($"/api/cases/{_case.Id}/outcome", new { outcome = "NoReasonableSuspicion", reasoning = "x" })).Problem(HttpStatusCode.Forbidden);
        Assert.That((await _w.Board.GetAsync("/api/consultations")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _w.Board.GetAsync("/api/admin/users")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Inspector_CaseWithoutConsultation_NotFound()
    {
        var fresh = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        Assert.That((await _w.Inspector.GetAsync($"/api/cases/{fresh.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await (await _w.Inspector.Post($"/api/cases/{fresh.Id}/outcome", new { outcome = "NoReasonableSuspicion", reasoning = "x" })).Problem(HttpStatusCode.NotFound);
        // Once the overleg has started with the inspectorate, the inspector sees it.
        Assert.That((await _w.Inspector.GetAsync($"/api/cases/{_case.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Inspector_BoardsStep_Forbidden()
    {
        await (await _w.Inspector.Post($"/api/cases/{_case.Id}/follow-up", new { followUp = "None", reasoning = "x" })).Problem(HttpStatusCode.Forbidden);
        Assert.That((await _w.Inspector.Post("/api/cases", new { })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _w.Inspector.GetAsync("/api/duties")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Administrator_CaseContent_Forbidden()
    {
        Assert.That((await _w.Admin.GetAsync($"/api/cases/{_case.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _w.Admin.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _w.Admin.Post($"/api/cases/{_case.Id}/follow-up", new { followUp = "None", reasoning = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        // ...but manages institutions, users and reads the rules.
        Assert.That((await _w.Admin.GetAsync("/api/admin/institutions")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _w.Admin.GetAsync("/api/admin/rules")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task MeldpuntHandler_ChainCase_Forbidden()
    {
        Assert.That((await _w.Handler.GetAsync($"/api/cases/{_case.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _w.Handler.Post($"/api/cases/{_case.Id}/consultation", new { inspectorId = _w.InspectorId, factsGiven = "x" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task StaffMember_ReadingCaseOrBoardStep_Forbidden()
    {
        Assert.That((await _w.Staff.GetAsync($"/api/cases/{_case.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _w.Staff.Post($"/api/cases/{_case.Id}/follow-up", new { followUp = "None", reasoning = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        // A board cannot file a staff member's own notification either.
        Assert.That((await _w.Board.Post("/api/staff-notifications", new { })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Anonymous_AnyCaseEndpoint_Unauthorized()
    {
        var anon = _w.Anonymous;
        Assert.That((await anon.GetAsync($"/api/cases/{_case.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anon.Post("/api/cases", new { })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anon.GetAsync("/api/admin/users")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task CookieSignIn_BoardReadsOwnCases()
    {
        var client = _w.Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var me = await (await _w.Board.GetAsync("/api/auth/me")).Read<System.Text.Json.JsonElement>();
        var login = await client.Post("/api/auth/login?useCookies=true", new { email = me.GetProperty("email").GetString(), password = World.Password });
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(login.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase)));
        Assert.That((await client.GetAsync($"/api/cases/{_case.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Login_WrongPassword_UnauthorizedProblem()
    {
        // One of this test's own accounts, not the shared administrator: after a failed attempt, the next correct sign-in
        // resets the account's failed-attempt count, and of two at once Identity fails the one that loses the race.
        var r = await _w.Anonymous.Post("/api/auth/login", new { email = _w.InspectorEmail, password = "wrong-password" });
        await r.Problem(HttpStatusCode.Unauthorized);
    }
}
