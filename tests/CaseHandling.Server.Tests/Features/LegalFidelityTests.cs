using System.Net;
using System.Text.Json;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Issue 15 through the HTTP API on real PostgreSQL: who is informed in step 4 follows the victim, and every decision
/// carries its stored explanation (a reclassification adds one beside the old).
/// </summary>
public sealed class LegalFidelityTests
{
    private World _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    private static async Task<CaseRef> Ok(Task<HttpResponseMessage> step) => await (await step).Read<CaseRef>();

    private async Task<CaseRef> AtReasonableSuspicion(VictimAge age)
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, age, afhankelijkheidsrelatie: age == VictimAge.Adult);
        await Ok(_w.Consult(c.Id));
        return await Ok(_w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion));
    }

    private Task<HttpResponseMessage> Inform(Guid id, params InformedParty[] parties) =>
        _w.Board.Post($"/api/cases/{id}/parties-informed", new { informedAt = DateTimeOffset.UtcNow.AddMinutes(-1), parties, how = "Gesprek" });

    [Test]
    public async Task Inform_MinorVictim_ParentsAndAccused_Accepted()
    {
        var c = await AtReasonableSuspicion(VictimAge.Minor);
        Assert.That((await Ok(Inform(c.Id, InformedParty.Parents, InformedParty.Accused))).State, Is.EqualTo(CaseState.PartiesInformed));
    }

    [Test]
    public async Task Inform_MinorVictim_StudentAsWellAsParents_Accepted()
    {
        var c = await AtReasonableSuspicion(VictimAge.Minor);
        Assert.That((await Ok(Inform(c.Id, InformedParty.Parents, InformedParty.Student, InformedParty.Accused))).State, Is.EqualTo(CaseState.PartiesInformed));
        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.Timeline.Single(t => t.Step == "InformParties").Details.GetProperty("parties").GetString(), Is.EqualTo("Parents,Student,Accused"));
    }

    [Test]
    public async Task Inform_MinorVictim_OnlyTheStudent_400ParentsRequired()
    {
        var c = await AtReasonableSuspicion(VictimAge.Minor);
        var problem = await (await Inform(c.Id, InformedParty.Student, InformedParty.Accused)).Problem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("parties")[0].GetString(), Does.Contain("parents or guardians"));
        Assert.That((await _w.Board.Case(c.Id)).State, Is.EqualTo(CaseState.ReasonableSuspicion));
    }

    [Test]
    public async Task Inform_AdultStudent_TheStudentAndAccused_Accepted()
    {
        var c = await AtReasonableSuspicion(VictimAge.Adult);
        Assert.That((await Ok(Inform(c.Id, InformedParty.Student, InformedParty.Accused))).State, Is.EqualTo(CaseState.PartiesInformed));
    }

    [Test]
    public async Task Inform_AdultStudent_Parents_400OnTheField_CaseUnchanged()
    {
        var c = await AtReasonableSuspicion(VictimAge.Adult);
        var problem = await (await Inform(c.Id, InformedParty.Parents, InformedParty.Student, InformedParty.Accused)).Problem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Multiple(async () =>
        {
            Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "parties" }));
            Assert.That(errors.GetProperty("parties")[0].GetString(), Does.Contain("adult").And.Contain("not the parents"));
            var detail = await _w.Board.Case(c.Id);
            Assert.That(detail.State, Is.EqualTo(CaseState.ReasonableSuspicion));
            Assert.That(detail.Timeline.Select(t => t.Step), Has.None.EqualTo("InformParties"));
        });
    }

    [TestCase(VictimAge.Minor, InformedParty.Parents)]
    [TestCase(VictimAge.Adult, InformedParty.Student)]
    public async Task Inform_AccusedLeftOut_400ForEveryVictim(VictimAge age, InformedParty victimSide)
    {
        var c = await AtReasonableSuspicion(age);
        var problem = await (await Inform(c.Id, victimSide)).Problem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("parties")[0].GetString(), Does.Contain("accused"));
    }

    [Test]
    public async Task Explanation_InTheApi_NamesRegimeRuleArticleAndEverySkippedDay()
    {
        // Friday 24 April 2026, 16:00 in Amsterdam: step 2 is due the next working day at 12:00, after Saturday, Sunday and Koningsdag.
        var learned = DutchTime.FromLocal(new DateOnly(2026, 4, 24), new TimeOnly(16, 0));
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: learned);
        var json = await _w.Board.GetJson<JsonElement>($"/api/cases/{c.Id}");
        var e = json.GetProperty("explanations")[0];
        var deadline = e.GetProperty("deadlines")[0];
        Assert.Multiple(() =>
        {
            Assert.That(e.GetProperty("decision").GetString(), Is.EqualTo("Opened"));
            Assert.That(e.GetProperty("regime").GetProperty("id").GetString(), Is.EqualTo("wetsvoorstel-36777"));
            Assert.That(e.GetProperty("matrixRule").GetProperty("article").GetString(), Does.StartWith("WHW art. 1.20").Or.StartWith("WVO art. 3").Or.StartWith("WPO").Or.StartWith("WEC").Or.StartWith("WEB"));
            Assert.That(deadline.GetProperty("policyRule").GetString(), Is.EqualTo("1wd@12:00"));
            Assert.That(deadline.GetProperty("startAmsterdam").GetString(), Is.EqualTo("2026-04-24T16:00:00+02:00"));
            Assert.That(deadline.GetProperty("skippedDays").EnumerateArray().Select(d => d.GetProperty("reason").GetString()),
                Is.EqualTo(new[] { "25 april: zaterdag, Atw art. 1 lid 1", "26 april: zondag, Atw art. 1 lid 1", "27 april: Koningsdag, Atw art. 3 lid 1" }));
            Assert.That(deadline.GetProperty("dueAmsterdam").GetString(), Is.EqualTo("2026-04-28T12:00:00+02:00"));
        });
    }

    [Test]
    public async Task Explanation_OnReclassification_AddedBesideTheOld_OldStoredUnchanged()
    {
        var c = await _w.Register(IncidentType.SeksueleIntimidatie, VictimAge.Adult);
        await Ok(_w.Consult(c.Id));
        var before = (await _w.Board.GetJson<JsonElement>($"/api/cases/{c.Id}")).GetProperty("explanations");
        await Ok(_w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion));
        var after = (await _w.Board.GetJson<JsonElement>($"/api/cases/{c.Id}")).GetProperty("explanations");

        Assert.Multiple(() =>
        {
            Assert.That(before.GetArrayLength(), Is.EqualTo(2));
            Assert.That(after.EnumerateArray().Select(x => x.GetProperty("decision").GetString()), Is.EqualTo(new[] { "Opened", "StartConsultation", "Reclassified" }));
            Assert.That(after[0].GetRawText(), Is.EqualTo(before[0].GetRawText()), "the first decision is kept, not overwritten");
            Assert.That(after[0].GetProperty("coverage").GetString(), Is.EqualTo("MeldEnOverleg"));
            Assert.That(after[2].GetProperty("coverage").GetString(), Is.EqualTo("Full"));
            Assert.That(after[2].GetProperty("matrixRule").GetProperty("incident").GetString(), Is.EqualTo("Zedenmisdrijf"));
            Assert.That(after[2].GetProperty("deadlines").EnumerateArray().Select(d => d.GetProperty("duty").GetString()), Is.EqualTo(new[] { "InformParties", "Aangifte" }));
        });
    }

    [Test]
    public async Task Rules_ShowTheDecreedDaysAndEachSectorsDate()
    {
        var rules = await _w.Admin.GetJson<JsonElement>("/api/admin/rules");
        Assert.Multiple(() =>
        {
            Assert.That(rules.GetProperty("decreedDays").EnumerateArray().Select(d => d.GetProperty("date").GetString()), Does.Contain("2026-05-15"));
            // Stb. 1999, 313 for po, vo, so and mbo; WHW art. 1.20 from the Wet versterking besturing (Stb. 2010, 119 and 168).
            Assert.That(rules.GetProperty("sectorArticles").EnumerateArray().ToDictionary(a => a.GetProperty("sector").GetString()!, a => a.GetProperty("inForceFrom").GetString()),
                Is.EquivalentTo(new Dictionary<string, string?>
                {
                    ["Po"] = "1999-07-28", ["Vo"] = "1999-07-28", ["So"] = "1999-07-28", ["Mbo"] = "1999-07-28", ["Ho"] = "2010-09-01",
                }));
        });
    }

    [Test]
    public async Task DecreedDay_SkippedByDeadlines_WithoutAnyExtraHolidays()
    {
        // Wednesday 13 May 2026, 16:00: Thursday is Hemelvaartsdag and Friday equated by the 2026–2028 decree: due Monday.
        var learned = DutchTime.FromLocal(new DateOnly(2026, 5, 13), new TimeOnly(16, 0));
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: learned);
        var duty = (await _w.Board.Case(c.Id)).Duties.Single();
        Assert.That(DutchTime.ToLocal(duty.DueAt), Is.EqualTo(new DateTime(2026, 5, 18, 12, 0, 0)));
    }
}
