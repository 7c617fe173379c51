using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Tests.Duties;

public class DutyMatrixTests
{
    private static readonly DateOnly ExtendedFrom = new(2024, 1, 1);
    private static readonly DateTimeOffset Learned = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly LearnedOn = new(2026, 3, 2);

    /// <summary>The sector order of the coverage columns below.</summary>
    private static readonly Sector[] Columns = [Sector.Po, Sector.Vo, Sector.So, Sector.Mbo, Sector.Ho];

    /// <summary>
    /// WORKFLOW.md's matrix for a student victim and a met taken belast persoon as accused, per sector
    /// (columns Po Vo So Mbo Ho). F = Full (steps 1–7), M = MeldEnOverleg (steps 1–3), - = None.
    /// Any other victim or accused: None in both regimes.
    /// </summary>
    private static readonly (IncidentType Incident, VictimAge Age, string CurrentLaw, string Extended)[] InScope =
    [
        //                                                    Po Vo So Mbo Ho     Po Vo So Mbo Ho
        (IncidentType.Zedenmisdrijf,       VictimAge.Minor, "F F F F F",         "F F F F F"),
        (IncidentType.Zedenmisdrijf,       VictimAge.Adult, "F - - - -",         "F F F F F"), // WPO art. 4a: "leerling", no age limit
        (IncidentType.SeksueleIntimidatie, VictimAge.Minor, "- - - - -",         "M M M M M"),
        (IncidentType.SeksueleIntimidatie, VictimAge.Adult, "- - - - -",         "M M M M M"),
        (IncidentType.Bullying,            VictimAge.Minor, "- - - - -",         "- - - - -"),
        (IncidentType.Bullying,            VictimAge.Adult, "- - - - -",         "- - - - -"),
        (IncidentType.Discrimination,      VictimAge.Minor, "- - - - -",         "- - - - -"),
        (IncidentType.Discrimination,      VictimAge.Adult, "- - - - -",         "- - - - -"),
        (IncidentType.Violence,            VictimAge.Minor, "- - - - -",         "- - - - -"),
        (IncidentType.Violence,            VictimAge.Adult, "- - - - -",         "- - - - -"),
        (IncidentType.OtherUnsafety,       VictimAge.Minor, "- - - - -",         "- - - - -"),
        (IncidentType.OtherUnsafety,       VictimAge.Adult, "- - - - -",         "- - - - -"),
    ];

    private static Coverage Expected(bool extended, Sector sector, IncidentType incident, VictimAge age, VictimKind victim, AccusedRole accused)
    {
        if (victim != VictimKind.Student || accused != AccusedRole.MetTakenBelastPersoon)
            return Coverage.None;
        var row = InScope.Single(r => r.Incident == incident && r.Age == age);
        var cell = (extended ? row.Extended : row.CurrentLaw).Split(' ')[Array.IndexOf(Columns, sector)];
        return cell switch
        {
            "F" => Coverage.Full,
            "M" => Coverage.MeldEnOverleg,
            "-" => Coverage.None,
            _ => throw new InvalidOperationException($"bad cell '{cell}'"),
        };
    }

    private static IEnumerable<TestCaseData> EveryCombination() =>
        from extended in new[] { false, true }
        from sector in Enum.GetValues<Sector>()
        from incident in Enum.GetValues<IncidentType>()
        from age in Enum.GetValues<VictimAge>()
        from victim in Enum.GetValues<VictimKind>()
        from accused in Enum.GetValues<AccusedRole>()
        let expected = Expected(extended, sector, incident, age, victim, accused)
        select new TestCaseData(extended, sector, incident, age, victim, accused, expected)
            .SetName($"Decide_{(extended ? "Extended" : "CurrentLaw")}{sector}{incident}{age}{victim}{accused}_{expected}");

    [TestCaseSource(nameof(EveryCombination))]
    public void Decide_EveryCombinationInBothRegimes_GivesMatrixCoverage(
        bool extended, Sector sector, IncidentType incident, VictimAge age, VictimKind victim, AccusedRole accused, Coverage expected)
    {
        var matrix = DutyMatrix.Create(extended ? ExtendedFrom : null);
        var facts = new CaseFacts(sector, incident, victim, age, false, accused, Learned);

        var decision = matrix.Decide(facts, LearnedOn);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Coverage, Is.EqualTo(expected));
            Assert.That(decision.Regime.Id, Is.EqualTo(extended ? Regimes.ExtendedId : Regimes.CurrentLawId));
            Assert.That(decision.Reason, Is.Not.Empty);
            if (expected != Coverage.None)
                Assert.That(decision.Rule?.Coverage, Is.EqualTo(expected));
        }
    }

    [Test]
    public void Decide_AfhankelijkheidsrelatieFlag_DoesNotChangeCoverage()
    {
        var matrix = DutyMatrix.Create(ExtendedFrom);
        var without = new CaseFacts(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Adult, false, AccusedRole.MetTakenBelastPersoon, Learned);

        Assert.That(matrix.Decide(without with { Afhankelijkheidsrelatie = true }, LearnedOn).Coverage,
            Is.EqualTo(matrix.Decide(without, LearnedOn).Coverage));
    }

    // ---- regime selection ----------------------------------------------------------------------

    [TestCase("2026-08-31", Regimes.CurrentLawId, TestName = "RegimeOn_DayBeforeExtendedEffectiveDate_IsCurrentLaw")]
    [TestCase("2026-09-01", Regimes.ExtendedId, TestName = "RegimeOn_ExtendedEffectiveDate_IsExtended")]
    [TestCase("2027-01-15", Regimes.ExtendedId, TestName = "RegimeOn_AfterExtendedEffectiveDate_IsExtended")]
    [TestCase("2000-01-01", Regimes.CurrentLawId, TestName = "RegimeOn_LongBefore_IsCurrentLaw")]
    [TestCase("1990-01-01", Regimes.CurrentLawId, TestName = "RegimeOn_BeforeEveryRegime_FallsBackToCurrentLaw")]
    public void RegimeOn_LearnedDate_SelectsRegime(string learnedOn, string expectedRegime) =>
        Assert.That(DutyMatrix.Create(new DateOnly(2026, 9, 1)).RegimeOn(DateOnly.Parse(learnedOn)).Id, Is.EqualTo(expectedRegime));

    [TestCase("2026-08-31", Coverage.None, TestName = "Decide_AdultZedenmisdrijfHoBeforeEffectiveDate_None")]
    [TestCase("2026-09-01", Coverage.Full, TestName = "Decide_AdultZedenmisdrijfHoOnEffectiveDate_Full")]
    public void Decide_AdultZedenmisdrijfAroundEffectiveDate_FollowsRegime(string learnedOn, Coverage expected)
    {
        var facts = new CaseFacts(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Adult, true, AccusedRole.MetTakenBelastPersoon, Learned);

        Assert.That(DutyMatrix.Create(new DateOnly(2026, 9, 1)).Decide(facts, DateOnly.Parse(learnedOn)).Coverage, Is.EqualTo(expected));
    }

    [Test]
    public void RegimeOn_CurrentLawOnly_IsAlwaysCurrentLaw()
    {
        var matrix = DutyMatrix.Create(null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(matrix.Regimes.Select(r => r.Id), Is.EqualTo(new[] { Regimes.CurrentLawId }));
            Assert.That(matrix.RegimeOn(new DateOnly(2030, 1, 1)).Id, Is.EqualTo(Regimes.CurrentLawId));
        }
    }

    [Test]
    public void Create_WithExtendedDate_HasBothRegimesOrderedByDate()
    {
        var matrix = DutyMatrix.Create(new DateOnly(2026, 9, 1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(matrix.Regimes.Select(r => r.Id), Is.EqualTo(new[] { Regimes.CurrentLawId, Regimes.ExtendedId }));
            Assert.That(matrix.Regimes[1].EffectiveFrom, Is.EqualTo(new DateOnly(2026, 9, 1)));
        }
    }

    [Test]
    public void Constructor_NoRegimes_Throws() =>
        Assert.That(() => new DutyMatrix([]), Throws.ArgumentException);

    // 2026-08-31T22:30Z is 1 September 00:30 in Amsterdam (CEST): the Amsterdam date decides, not the UTC date.
    [TestCase("2026-08-31T22:30:00Z", Regimes.ExtendedId, CaseState.Registered, TestName = "Open_LearnedJustAfterMidnightAmsterdamOnEffectiveDate_UsesExtendedRegime")]
    [TestCase("2026-08-31T21:30:00Z", Regimes.CurrentLawId, CaseState.OutsideChain, TestName = "Open_LearnedJustBeforeMidnightAmsterdam_UsesCurrentLaw")]
    public void Open_LearnedAroundAmsterdamMidnight_RegimeByAmsterdamDate(string learnedAt, string expectedRegime, CaseState expectedState)
    {
        var learned = DateTimeOffset.Parse(learnedAt, System.Globalization.CultureInfo.InvariantCulture);
        var rules = new DutyRules(DutyMatrix.Create(new DateOnly(2026, 9, 1)), DeadlinePolicy.Default, WorkingDayCalendar.Default);
        var facts = new CaseFacts(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Adult, true, AccusedRole.MetTakenBelastPersoon, learned);

        var c = Case.Open(Guid.NewGuid(), facts, OpenedVia.BoardRegistration, new Actor("board", StaffRole.Board), null,
            TimelineDetails.None, rules, learned.AddMinutes(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.RegimeId, Is.EqualTo(expectedRegime));
            Assert.That(c.State, Is.EqualTo(expectedState));
        }
    }

    // ---- legal basis ---------------------------------------------------------------------------

    [TestCase(Sector.Po, DutyKind.ConcludeOverleg, "WPO art. 4a lid 2")]
    [TestCase(Sector.Vo, DutyKind.ConcludeOverleg, "WVO art. 3 lid 2")]
    [TestCase(Sector.So, DutyKind.ConcludeOverleg, "WEC art. 4a lid 2")]
    [TestCase(Sector.Mbo, DutyKind.ConcludeOverleg, "WEB art. 1.3.8 lid 2")]
    [TestCase(Sector.Ho, DutyKind.ConcludeOverleg, "WHW art. 1.20 lid 2")]
    [TestCase(Sector.Ho, DutyKind.StaffNotification, "WHW art. 1.20 lid 3")]
    [TestCase(Sector.Ho, DutyKind.StartOverleg, "WHW art. 1.20 lid 1")]
    [TestCase(Sector.Ho, DutyKind.Aangifte, "WHW art. 1.20 lid 2")]
    [TestCase(Sector.Vo, DutyKind.NotifyInspectorOfAangifte, "WVO art. 3 lid 2")]
    public void LegalBasis_CurrentLawMinorZedenmisdrijf_IsSectorArticleAndLid(Sector sector, DutyKind kind, string expected)
    {
        var facts = new CaseFacts(sector, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, Learned);
        var decision = DutyMatrix.Create(null).Decide(facts, LearnedOn);

        Assert.That(decision.LegalBasis(sector, DutyTable.Get(kind)), Is.EqualTo(expected));
    }

    [TestCase(Sector.Ho, IncidentType.Zedenmisdrijf, VictimAge.Adult, DutyKind.Aangifte, "Wetsvoorstel 36 777 jo WHW art. 1.20 lid 2")]
    [TestCase(Sector.Mbo, IncidentType.Zedenmisdrijf, VictimAge.Adult, DutyKind.StartOverleg, "Wetsvoorstel 36 777 jo WEB art. 1.3.8 lid 1")]
    [TestCase(Sector.Vo, IncidentType.SeksueleIntimidatie, VictimAge.Minor, DutyKind.StartOverleg, "Wetsvoorstel 36 777 jo WVO art. 3 lid 1")]
    [TestCase(Sector.Ho, IncidentType.Zedenmisdrijf, VictimAge.Minor, DutyKind.Aangifte, "WHW art. 1.20 lid 2")]
    public void LegalBasis_ExtendedRegime_NamesBillWhereItExtends(Sector sector, IncidentType incident, VictimAge age, DutyKind kind, string expected)
    {
        var facts = new CaseFacts(sector, incident, VictimKind.Student, age, true, AccusedRole.MetTakenBelastPersoon, Learned);
        var decision = DutyMatrix.Create(ExtendedFrom).Decide(facts, LearnedOn);

        var basis = decision.LegalBasis(sector, DutyTable.Get(kind));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(basis, Is.EqualTo(expected));
            if (age == VictimAge.Adult)
                Assert.That(basis, Does.Contain("36 777"));
        }
    }

    // ---- duty table and deadline policy --------------------------------------------------------

    /// <summary>The chain's duties, steps 1–6 (the meldpunt's service levels live in their own table).</summary>
    [Test]
    public void Rows_ChainDuties_HaveExactlyOneRowEachInStepOrder()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DutyTable.Rows.Select(r => r.Kind), Is.EqualTo(new[]
            {
                DutyKind.StaffNotification, DutyKind.StartOverleg, DutyKind.ConcludeOverleg,
                DutyKind.InformParties, DutyKind.Aangifte, DutyKind.NotifyInspectorOfAangifte,
            }));
            Assert.That(DutyTable.Rows.Select(r => r.Step), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
        }
    }

    private static IEnumerable<TestCaseData> Rows() =>
        DutyTable.Rows.Select(r => new TestCaseData(r).SetName($"Row_{r.Kind}_HasLidDescriptionAndParseableDeadline"));

    [TestCaseSource(nameof(Rows))]
    public void Row_Each_HasLidDescriptionAndParseableDeadline(DutyDefinition row)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Lid, Does.Match(@"^lid \d+$"));
            Assert.That(row.Description, Is.Not.Null.And.Not.Empty.And.Not.WhiteSpace);
            Assert.That(DeadlineRule.TryParse(row.DefaultDeadline, out _), Is.True, row.DefaultDeadline);
        }
    }

    /// <summary>WORKFLOW.md, "The statutory chain": step, lid, who acts, what opens and what meets each duty.</summary>
    [TestCase(DutyKind.StaffNotification, 1, "lid 3", StaffRole.StaffMember, null, new CaseTrigger[0], Coverage.MeldEnOverleg)]
    [TestCase(DutyKind.StartOverleg, 2, "lid 1", StaffRole.Board, null, new[] { CaseTrigger.StartOverleg }, Coverage.MeldEnOverleg)]
    [TestCase(DutyKind.ConcludeOverleg, 3, "lid 2", StaffRole.Vertrouwensinspecteur, CaseTrigger.StartOverleg,
        new[] { CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.ConcludeSexualHarassment, CaseTrigger.ConcludeNoReasonableSuspicion }, Coverage.MeldEnOverleg)]
    [TestCase(DutyKind.InformParties, 4, "lid 2", StaffRole.Board, CaseTrigger.ConcludeReasonableSuspicion,
        new[] { CaseTrigger.InformParties, CaseTrigger.RecordInformingImpossible }, Coverage.Full)]
    [TestCase(DutyKind.Aangifte, 5, "lid 2", StaffRole.Board, CaseTrigger.ConcludeReasonableSuspicion, new[] { CaseTrigger.FileAangifte }, Coverage.Full)]
    [TestCase(DutyKind.NotifyInspectorOfAangifte, 6, "lid 2", StaffRole.Board, CaseTrigger.FileAangifte,
        new[] { CaseTrigger.NotifyInspectorOfAangifte }, Coverage.Full)]
    public void Get_EachDutyKind_MatchesStatutoryChain(
        DutyKind kind, int step, string lid, StaffRole responsible, CaseTrigger? openedBy, CaseTrigger[] metBy, Coverage appliesFrom)
    {
        var row = DutyTable.Get(kind);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Step, Is.EqualTo(step));
            Assert.That(row.Lid, Is.EqualTo(lid));
            Assert.That(row.Responsible, Is.EqualTo(responsible));
            Assert.That(row.OpenedBy, Is.EqualTo(openedBy));
            Assert.That(row.MetBy, Is.EquivalentTo(metBy));
            Assert.That(row.AppliesFrom, Is.EqualTo(appliesFrom));
        }
    }

    [TestCase(DutyKind.StaffNotification, "4h", TestName = "Default_Step1StaffNotification_Is4Hours")]
    [TestCase(DutyKind.StartOverleg, "1wd@12:00", TestName = "Default_Step2StartOverleg_IsNextWorkingDayNoon")]
    [TestCase(DutyKind.ConcludeOverleg, "2wd", TestName = "Default_Step3ConcludeOverleg_Is2WorkingDays")]
    [TestCase(DutyKind.Aangifte, "1wd", TestName = "Default_Step5Aangifte_Is1WorkingDay")]
    [TestCase(DutyKind.NotifyInspectorOfAangifte, "1wd@23:59", TestName = "Default_Step6NotifyInspector_IsEndOfNextWorkingDay")]
    public void Default_DeadlinePolicy_EqualsWorkflowDefaults(DutyKind kind, string expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DeadlinePolicy.Default.RuleFor(kind), Is.EqualTo(DeadlineRule.Parse(expected)));
            Assert.That(DeadlinePolicy.Default.RuleFor(kind).ToString(), Is.EqualTo(expected));
            Assert.That(DutyTable.Get(kind).DefaultDeadline, Is.EqualTo(expected));
        }
    }

    [Test]
    public void Default_DeadlinePolicy_HasARuleForEveryDutyKind() =>
        Assert.That(DeadlinePolicy.Default.Rules.Keys, Is.EquivalentTo(Enum.GetValues<DutyKind>()));

    [Test]
    public void Constructor_WithOverride_ReplacesOnlyThatRule()
    {
        var policy = new DeadlinePolicy(new Dictionary<DutyKind, DeadlineRule> { [DutyKind.StaffNotification] = new DeadlineRule.Hours(2) });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy.RuleFor(DutyKind.StaffNotification), Is.EqualTo(new DeadlineRule.Hours(2)));
            Assert.That(policy.RuleFor(DutyKind.StartOverleg), Is.EqualTo(DeadlinePolicy.Default.RuleFor(DutyKind.StartOverleg)));
        }
    }

    [TestCase(Coverage.None, DutyKind.StartOverleg, false)]
    [TestCase(Coverage.MeldEnOverleg, DutyKind.StartOverleg, true)]
    [TestCase(Coverage.MeldEnOverleg, DutyKind.ConcludeOverleg, true)]
    [TestCase(Coverage.MeldEnOverleg, DutyKind.Aangifte, false)]
    [TestCase(Coverage.Full, DutyKind.Aangifte, true)]
    [TestCase(Coverage.Full, DutyKind.StaffNotification, true)]
    public void AppliesUnder_Coverage_OpensOnlyStepsOfThatCoverage(Coverage coverage, DutyKind kind, bool expected) =>
        Assert.That(DutyTable.Get(kind).AppliesUnder(coverage), Is.EqualTo(expected));
}
