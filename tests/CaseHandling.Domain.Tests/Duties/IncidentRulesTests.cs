using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Incidents;

namespace CaseHandling.Domain.Tests.Duties;

/// <summary>The incident register's rules, table-driven: per sector, per category, serious or not, either side of the effective date.</summary>
public sealed class IncidentRulesTests
{
    private static readonly DateOnly From = new(2026, 1, 1);

    private static IncidentFacts Facts(Sector sector, IncidentCategory category, bool declared = false, bool injury = false, bool firearm = false,
        DateOnly? on = null) => new(sector, category, on ?? From.AddDays(10), declared, injury, firearm);

    // sector, declared serious → must report (in force)
    [TestCase(Sector.Po, true, true)]
    [TestCase(Sector.Vo, true, true)]
    [TestCase(Sector.So, true, true)]
    [TestCase(Sector.Mbo, true, false)]
    [TestCase(Sector.Ho, true, false)]
    [TestCase(Sector.Po, false, false)]
    [TestCase(Sector.Vo, false, false)]
    [TestCase(Sector.So, false, false)]
    [TestCase(Sector.Mbo, false, false)]
    [TestCase(Sector.Ho, false, false)]
    public void Decide_PerSector_SeriousOrNot(Sector sector, bool serious, bool mustReport)
    {
        var d = IncidentRules.Decide(Facts(sector, IncidentCategory.Threat, declared: serious), 0, From);
        Assert.That(d.MustReport, Is.EqualTo(mustReport));
        Assert.That(d.DutyApplies, Is.EqualTo(sector is Sector.Po or Sector.Vo or Sector.So));
        if (mustReport) Assert.That(d.Basis, Does.Contain("36 777"));
    }

    // The memo's examples (footnote 3) are serious without the board saying so; other categories only when it does.
    [TestCase(IncidentCategory.PhysicalOrMentalHarm, false, false, false)]
    [TestCase(IncidentCategory.PhysicalOrMentalHarm, true, false, true)]
    [TestCase(IncidentCategory.WeaponPossession, false, false, false)]
    [TestCase(IncidentCategory.WeaponPossession, false, true, true)]
    [TestCase(IncidentCategory.SystematicBullying, false, false, true)]
    [TestCase(IncidentCategory.SexualHarassmentOrAbuse, false, false, false)]
    [TestCase(IncidentCategory.Discrimination, false, false, false)]
    [TestCase(IncidentCategory.Threat, false, false, false)]
    [TestCase(IncidentCategory.VandalismOrTheft, false, false, false)]
    [TestCase(IncidentCategory.Drugs, false, false, false)]
    [TestCase(IncidentCategory.PhysicalOrMentalHarm, false, true, false)] // a firearm is the weapon category's example, not harm's
    [TestCase(IncidentCategory.WeaponPossession, true, false, false)]     // serious injury is harm's example
    public void IsSerious_PerCategory_TheMemosExamples(IncidentCategory category, bool injury, bool firearm, bool serious)
    {
        Assert.That(IncidentRules.IsSerious(Facts(Sector.Vo, category, injury: injury, firearm: firearm)), Is.EqualTo(serious));
        Assert.That(IncidentRules.IsSerious(Facts(Sector.Vo, category, declared: true, injury: injury, firearm: firearm)), Is.True, "the board may always say so");
    }

    [Test]
    public void Categories_AreTheDefinitionsEight_EachOnce() =>
        Assert.That(IncidentRules.Categories.Select(c => c.Category), Is.EquivalentTo(Enum.GetValues<IncidentCategory>()));

    [Test]
    public void Sectors_EverySectorOnce_WithASource()
    {
        Assert.That(IncidentRules.Sectors.Select(s => s.Sector), Is.EquivalentTo(Enum.GetValues<Sector>()));
        Assert.That(IncidentRules.Sectors.All(s => s.Source.Length > 10));
        Assert.That(IncidentRules.SectorRuleFor(Sector.Mbo).Source, Does.Contain("Beleidsbrief 2023"));
    }

    // effective date: null (off), after, on, before
    [TestCase(null, 10, false)]
    [TestCase("2026-01-01", 10, true)]
    [TestCase("2026-01-01", 0, true)]
    [TestCase("2026-01-01", -1, false)]
    public void Decide_EitherSideOfTheEffectiveDate(string? effective, int daysAfter, bool mustReport)
    {
        DateOnly? from = effective is null ? null : DateOnly.Parse(effective);
        var d = IncidentRules.Decide(Facts(Sector.Vo, IncidentCategory.SystematicBullying, on: From.AddDays(daysAfter)), 0, from);
        Assert.That(d.MustReport, Is.EqualTo(mustReport));
        Assert.That(d.Serious, Is.True, "serious is a fact; the duty is what the date decides");
    }

    // earlier incidents of the same pupil in the window → recurring
    [TestCase(0, ReportReason.None)]
    [TestCase(1, ReportReason.None)]
    [TestCase(2, ReportReason.Recurring)]
    [TestCase(5, ReportReason.Recurring)]
    public void Decide_Recurring_FromTheThirdIncidentOfTheSamePupil(int earlier, ReportReason reason) =>
        Assert.That(IncidentRules.Decide(Facts(Sector.Po, IncidentCategory.Threat), earlier, From).Reason, Is.EqualTo(reason));

    [Test]
    public void Decide_SeriousAndRecurring_IsReportedAsSerious() =>
        Assert.That(IncidentRules.Decide(Facts(Sector.So, IncidentCategory.Drugs, declared: true), 4, From).Reason, Is.EqualTo(ReportReason.Serious));

    [TestCase(IncidentCategory.SexualHarassmentOrAbuse, true, true)]
    [TestCase(IncidentCategory.SexualHarassmentOrAbuse, false, false)]
    [TestCase(IncidentCategory.PhysicalOrMentalHarm, true, false)]
    public void BelongsInTheChain_OnlyASexualIncidentInvolvingStaff(IncidentCategory category, bool staff, bool chain) =>
        Assert.That(Incident.BelongsInTheChain(category, staff), Is.EqualTo(chain));
}
