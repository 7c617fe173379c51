using System.Net;
using System.Text;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>Bad input is a 400 naming the fields; out of order is 409; a concurrent change is 409; never a 500.</summary>
public sealed class ErrorTests
{
    private World _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    [Test]
    public async Task RegisterCase_MissingFields_BadRequestNamingEachField()
    {
        var p = await (await _w.Board.Post("/api/cases", new { victim = new { } })).Problem(HttpStatusCode.BadRequest);
        var fields = p.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.That(fields, Is.SupersetOf(new[] { "incidentType", "victim.kind", "victim.age", "accusedRole", "boardLearnedAt", "facts" }));
    }

    [Test]
    public async Task RegisterCase_UnknownEnumValue_BadRequestNamingField()
    {
        var p = await (await _w.Board.Post("/api/cases", new { incidentType = "Diefstal", facts = "x" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(p.GetProperty("errors").TryGetProperty("incidentType", out _), p.ToString());
        Assert.That(p.ToString(), Does.Not.Contain("Diefstal"), "the submitted value is not echoed");
    }

    [Test]
    public async Task RegisterCase_MalformedJson_BadRequest()
    {
        var r = await _w.Board.PostAsync("/api/cases", new StringContent("{ not json", Encoding.UTF8, "application/json"));
        await r.Problem(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task RegisterCase_FactsTooLong_BadRequest()
    {
        var r = await _w.Board.Post("/api/cases", new RegisterCase(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
            AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow, new string('x', 20_001)));
        var p = await r.Problem(HttpStatusCode.BadRequest);
        Assert.That(p.GetProperty("errors").TryGetProperty("facts", out _));
    }

    [Test]
    public async Task RegisterCase_LearnedInFuture_BadRequest()
    {
        var r = await _w.Board.Post("/api/cases", new RegisterCase(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
            AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddDays(3), "x"));
        Assert.That((await r.Problem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("boardLearnedAt", out _));
    }

    [Test]
    public async Task StartConsultation_NotAnInspector_BadRequest()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var p = await (await _w.Board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = "nobody", factsGiven = "x" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(p.GetProperty("errors").TryGetProperty("inspectorId", out _));
    }

    [Test]
    public async Task RecordOutcome_MoreInformationWithoutDate_BadRequest()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await _w.Consult(c.Id)).Read<CaseRef>();
        var p = await (await _w.Outcome(c.Id, OverlegOutcome.MoreInformationNeeded)).Problem(HttpStatusCode.BadRequest);
        Assert.That(p.GetProperty("errors").TryGetProperty("informationExpectedBy", out _));
        var ok = await (await _w.Outcome(c.Id, OverlegOutcome.MoreInformationNeeded, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(5)))).Read<CaseRef>();
        Assert.That(ok.State, Is.EqualTo(CaseState.MoreInformationNeeded));
    }

    [Test]
    public async Task Step_UnknownCaseOrBadId_NotFound()
    {
        await (await _w.Consult(Guid.NewGuid())).Problem(HttpStatusCode.NotFound);
        Assert.That((await _w.Board.GetAsync("/api/cases/not-a-guid")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Step_StaleIfMatch_Conflict()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var stale = $"\"{c.Version}\"";
        var consulted = await (await _w.Consult(c.Id)).Read<CaseRef>();
        Assert.That(consulted.Version, Is.Not.EqualTo(c.Version));
        await (await _w.Inspector.Post($"/api/cases/{c.Id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = "x" }, ifMatch: stale))
            .Problem(HttpStatusCode.Conflict);
        await (await _w.Inspector.Post($"/api/cases/{c.Id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = "x" }, ifMatch: "garbage"))
            .Problem(HttpStatusCode.BadRequest);
        var fresh = await (await _w.Inspector.Post($"/api/cases/{c.Id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = "x" },
            ifMatch: $"\"{consulted.Version}\"")).Read<CaseRef>();
        Assert.That(fresh.State, Is.EqualTo(CaseState.ReasonableSuspicion));
    }

    [Test]
    public async Task Step_TwoConcurrentChangesToSameCase_OneWinsOtherConflicts()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
            var responses = await Task.WhenAll(_w.Consult(c.Id), _w.Consult(c.Id), _w.Consult(c.Id));
            var codes = responses.Select(r => r.StatusCode).ToList();
            Assert.That(codes.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), string.Join(",", codes));
            Assert.That(codes.Where(s => s != HttpStatusCode.OK), Is.All.EqualTo(HttpStatusCode.Conflict));
            var detail = await _w.Board.Case(c.Id);
            Assert.That(detail.Timeline.Count(t => t.Step == "StartConsultation"), Is.EqualTo(1));
            Assert.That(detail.Duties.Count(d => d.Kind == Domain.Duties.DutyKind.ConcludeOverleg), Is.EqualTo(1));
        }
    }
}
