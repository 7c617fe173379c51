using System.Text.Json;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Tests.Legal;

/// <summary>Every decision about a case carries an explanation; a reclassification adds one beside the old.</summary>
public class ExplanationTests
{
    private static readonly DutyRules Rules = new(DutyMatrix.Create(new DateOnly(2024, 1, 1)), DeadlinePolicy.Default, WorkingDayCalendar.Atw());
    private static readonly Actor Board = new("board", StaffRole.Board);
    private static readonly Actor Inspector = new("inspector", StaffRole.Vertrouwensinspecteur);

    private static DateTimeOffset Ams(int y, int m, int d, int h, int min) => DutchTime.FromLocal(new DateOnly(y, m, d), new TimeOnly(h, min));

    [Test]
    public void Opened_ExplainsRegimeRuleArticleAndEachSkippedDay()
    {
        // Friday 24 April 2026, 16:00: the next working day skips Saturday, Sunday and Koningsdag (Monday 27 April).
        var learned = Ams(2026, 4, 24, 16, 0);
        var facts = new CaseFacts(Sector.Vo, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, learned);
        var c = Case.Open(Guid.NewGuid(), facts, OpenedVia.BoardRegistration, Board, null, TimelineDetails.None, Rules, learned);

        var e = c.Explanations.Single().Read();
        var deadline = e.Deadlines.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Decision, Is.EqualTo("Opened"));
            Assert.That(e.Regime.Id, Is.EqualTo(Regimes.ExtendedId));
            Assert.That(e.MatrixRule!.Incident, Is.EqualTo("Zedenmisdrijf"));
            Assert.That(e.MatrixRule.Article, Is.EqualTo("WVO art. 3"));
            Assert.That(e.Sector.InForceFrom, Is.EqualTo("1999-07-28"));
            Assert.That(e.Coverage, Is.EqualTo("Full"));
            Assert.That(deadline.Duty, Is.EqualTo("StartOverleg"));
            Assert.That(deadline.PolicyRule, Is.EqualTo("1wd@12:00"));
            Assert.That(deadline.LegalBasis, Is.EqualTo("WVO art. 3 lid 1"));
            Assert.That(deadline.StartAmsterdam, Is.EqualTo("2026-04-24T16:00:00+02:00"));
            Assert.That(deadline.SkippedDays.Select(s => s.Reason), Is.EqualTo(new[]
            {
                "25 april: zaterdag, Atw art. 1 lid 1", "26 april: zondag, Atw art. 1 lid 1", "27 april: Koningsdag, Atw art. 3 lid 1",
            }));
            Assert.That(deadline.DueAmsterdam, Is.EqualTo("2026-04-28T12:00:00+02:00"));
            Assert.That(deadline.DueUtc, Is.EqualTo(c.Duties.Single().DueAt));
        });
    }

    [Test]
    public void Reclassified_NewExplanationBesideTheOld_OldUnchanged()
    {
        var learned = Ams(2026, 3, 2, 10, 0);
        var facts = new CaseFacts(Sector.Mbo, IncidentType.SeksueleIntimidatie, VictimKind.Student, VictimAge.Adult, true, AccusedRole.MetTakenBelastPersoon, learned);
        var c = Case.Open(Guid.NewGuid(), facts, OpenedVia.BoardRegistration, Board, null, TimelineDetails.None, Rules, learned);
        var first = c.Explanations[0].Json;

        Assert.That(c.StartOverleg(Board, "inspector", learned.AddHours(1), TimelineDetails.None, Rules).IsSuccess);
        Assert.That(c.Fire(CaseTrigger.ConcludeReasonableSuspicion, Inspector, learned.AddHours(2), TimelineDetails.None, Rules).IsSuccess);

        var all = c.Explanations.Select(x => x.Read()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(c.Explanations.Select(x => x.Decision), Is.EqualTo(new[] { "Opened", "StartConsultation", "Reclassified" }));
            Assert.That(c.Explanations.Select(x => x.Sequence), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(c.Explanations[0].Json, Is.EqualTo(first), "the first decision is kept as it was");
            Assert.That(all[0].Coverage, Is.EqualTo("MeldEnOverleg"));
            Assert.That(all[0].MatrixRule!.Incident, Is.EqualTo("SeksueleIntimidatie"));
            Assert.That(all[1].Deadlines.Single().Duty, Is.EqualTo("ConcludeOverleg"));
            Assert.That(all[2].Coverage, Is.EqualTo("Full"));
            Assert.That(all[2].MatrixRule!.Incident, Is.EqualTo("Zedenmisdrijf"));
            Assert.That(all[2].MatrixRule!.Article, Is.EqualTo("Wetsvoorstel 36 777 jo WEB art. 1.3.8"));
            Assert.That(all[2].Deadlines.Select(d => d.Duty), Is.EqualTo(new[] { "InformParties", "Aangifte" }));
        });
    }

    [Test]
    public void Explanation_IsMachineReadableJson_WithNamedFields()
    {
        var learned = Ams(2026, 3, 2, 10, 0);
        var facts = new CaseFacts(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, learned);
        var c = Case.Open(Guid.NewGuid(), facts, OpenedVia.BoardRegistration, Board, null, TimelineDetails.None, Rules, learned);
        using var doc = JsonDocument.Parse(c.Explanations[0].Json);
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("regime").GetProperty("id").GetString(), Is.EqualTo(Regimes.ExtendedId));
            Assert.That(root.GetProperty("matrixRule").GetProperty("article").GetString(), Is.EqualTo("WHW art. 1.20"));
            Assert.That(root.GetProperty("deadlines")[0].GetProperty("dueAmsterdam").GetString(), Is.EqualTo("2026-03-03T12:00:00+01:00"));
            Assert.That(root.GetProperty("deadlines")[0].GetProperty("skippedDays").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public void LearnedBeforeTheSectorArticleExisted_NoDuty_AndSaysSo()
    {
        var learned = Ams(1999, 7, 27, 23, 59);
        var facts = new CaseFacts(Sector.Po, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, learned);
        var c = Case.Open(Guid.NewGuid(), facts, OpenedVia.BoardRegistration, Board, null, TimelineDetails.None, Rules, learned);
        Assert.Multiple(() =>
        {
            Assert.That(c.Coverage, Is.EqualTo(Coverage.None));
            Assert.That(c.State, Is.EqualTo(CaseState.OutsideChain));
            Assert.That(c.Duties, Is.Empty);
            Assert.That(c.CoverageReason, Does.Contain("WPO art. 4a").And.Contain("1999-07-28").And.Contain("geen plicht"));
        });
    }

    [Test]
    public void Ho_LearnedBeforeWhw120_NoDuty_AndSaysSo_FromTheFirstSeptember2010_FullChain()
    {
        // WHW art. 1.20 is in the consolidated WHW from 1 September 2010 (Wet versterking besturing, Stb. 2010, 119 and 168),
        // not from the 1999 act that set the duty for po, vo and bve.
        Case Open(DateTimeOffset learned) => Case.Open(Guid.NewGuid(),
            new CaseFacts(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, learned),
            OpenedVia.BoardRegistration, Board, null, TimelineDetails.None, Rules, learned);
        var before = Open(Ams(2010, 8, 31, 23, 59));
        var from = Open(Ams(2010, 9, 1, 0, 0));
        Assert.Multiple(() =>
        {
            Assert.That(before.Coverage, Is.EqualTo(Coverage.None));
            Assert.That(before.CoverageReason, Does.Contain("WHW art. 1.20").And.Contain("2010-09-01").And.Contain("geen plicht"));
            Assert.That(before.Explanations.Single().Read().Sector.InForceFrom, Is.EqualTo("2010-09-01"));
            Assert.That(from.Coverage, Is.EqualTo(Coverage.Full));
            Assert.That(from.Explanations.Single().Read().Sector.Article, Is.EqualTo("WHW art. 1.20"));
        });
    }

    [TestCase(VictimAge.Adult, true, true, false, TestName = "InformParties_AdultStudent_ParentsRefused_CaseDoesNotMove")]
    [TestCase(VictimAge.Adult, false, true, true, TestName = "InformParties_AdultStudent_Student_Moves")]
    [TestCase(VictimAge.Minor, true, false, true, TestName = "InformParties_Minor_Parents_Moves")]
    [TestCase(VictimAge.Minor, true, true, true, TestName = "InformParties_Minor_ParentsAndStudent_Moves")]
    [TestCase(VictimAge.Minor, false, true, false, TestName = "InformParties_Minor_OnlyStudent_Refused")]
    public void InformParties_FollowsTheVictim(VictimAge age, bool parents, bool student, bool moves)
    {
        var learned = Ams(2026, 3, 2, 10, 0);
        var facts = new CaseFacts(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.Student, age, age == VictimAge.Adult, AccusedRole.MetTakenBelastPersoon, learned);
        var c = Case.Open(Guid.NewGuid(), facts, OpenedVia.BoardRegistration, Board, null, TimelineDetails.None, Rules, learned);
        c.StartOverleg(Board, "inspector", learned.AddHours(1), TimelineDetails.None, Rules);
        c.Fire(CaseTrigger.ConcludeReasonableSuspicion, Inspector, learned.AddHours(2), TimelineDetails.None, Rules);

        var result = c.InformParties(Board, parents, student, accused: true, learned.AddHours(3), TimelineDetails.None, Rules);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.EqualTo(moves));
            Assert.That(c.State, Is.EqualTo(moves ? CaseState.PartiesInformed : CaseState.ReasonableSuspicion));
            if (!moves) Assert.That(((ValidationFailed)result.Error!).Fields.Keys, Is.EqualTo(new[] { "parties" }));
        });
    }
}
