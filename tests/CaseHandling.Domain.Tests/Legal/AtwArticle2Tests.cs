using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Tests.Legal;

/// <summary>
/// Atw art. 2: a term of at least three days is extended, where needed, so that it contains at least two days that are
/// not a Saturday, Sunday or holiday. Expected dates worked out by hand, day by day, in the comments.
/// </summary>
public class AtwArticle2Tests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    private static DeadlineComputation Run(string rule, string startDate, string time = "10:00") =>
        DeadlineRule.Parse(rule).Compute(DutchTime.FromLocal(D(startDate), TimeOnly.Parse(time)), WorkingDayCalendar.Atw());

    private static DateOnly DueDate(DeadlineComputation c) => DutchTime.LocalDate(c.Due);

    // Christmas 2026: Thu 24 Dec start, 3 days: Fri 25 (Kerst), Sat 26, Sun 27 -> art. 1: Mon 28 (1 working day) -> art. 2: Tue 29.
    [TestCase("3d", "2026-12-24", "2026-12-29")]
    // Christmas 2025: Wed 24 Dec, 3 days: Thu 25, Fri 26 (Kerst), Sat 27 -> art. 1: Mon 29 (1 working day) -> art. 2: Tue 30.
    [TestCase("3d", "2025-12-24", "2025-12-30")]
    // Easter 2026: Thu 2 Apr, 3 days: Fri 3 (Goede Vrijdag), Sat 4, Sun 5 (Pasen) -> art. 1: Mon 6 is Tweede Paasdag -> Tue 7
    // (1 working day) -> art. 2: Wed 8.
    [TestCase("3d", "2026-04-02", "2026-04-08")]
    // Easter 2027 (28 March): Thu 25 Mar, 3 days: Fri 26 (Goede Vrijdag), Sat 27, Sun 28 -> Mon 29 Tweede Paasdag -> Tue 30 -> art. 2: Wed 31.
    [TestCase("3d", "2027-03-25", "2027-03-31")]
    // Easter 2026, 4 days from Wed 1 Apr: Thu 2 (working), Fri 3, Sat 4, Sun 5 -> art. 1: Tue 7; contains Thu 2 and Tue 7: no art. 2.
    [TestCase("4d", "2026-04-01", "2026-04-07")]
    // An ordinary week: Mon 2 Mar 2026 + 3 days = Thu 5 Mar; Tue, Wed, Thu are working days: nothing to extend.
    [TestCase("3d", "2026-03-02", "2026-03-05")]
    // Two days are not "three days or more": Thu 24 Dec 2026 + 2 = Sat 26 -> art. 1 only: Mon 28.
    [TestCase("2d", "2026-12-24", "2026-12-28")]
    public void CalendarDays_AcrossEasterAndChristmas_ContainTwoWorkingDays(string rule, string start, string expected) =>
        Assert.That(DueDate(Run(rule, start)), Is.EqualTo(D(expected)));

    [Test]
    public void Article2Extension_IsExplained()
    {
        var c = Run("3d", "2026-12-24");
        Assert.Multiple(() =>
        {
            Assert.That(c.Notes, Has.Some.StartsWith("Atw art. 2:"));
            Assert.That(c.Notes, Has.Some.StartsWith("Atw art. 1 lid 1:"));
            Assert.That(c.Skipped.Select(s => s.Date), Is.EqualTo(new[] { D("2026-12-27") }),
                "the last day (Sunday 27th) is passed over; the 25th and 26th lie inside the term");
            Assert.That(DutchTime.ToLocal(c.Due).TimeOfDay, Is.EqualTo(new TimeSpan(10, 0, 0)));
        });
    }

    [Test]
    public void HoursDeadline_IsNotExtended_EvenOverChristmas()
    {
        var c = Run("72h", "2026-12-24");
        Assert.Multiple(() =>
        {
            Assert.That(DueDate(c), Is.EqualTo(D("2026-12-27")));
            Assert.That(c.Skipped, Is.Empty);
        });
    }

    // Art. 2 speaks of "een termijn van ten minste drie dagen", a length and not a unit: a term in months is one. With the
    // real calendar a month always holds two working days, so the rule can only be seen with days added as holidays:
    // Mon 2 Feb 2026 + 1 month = Mon 2 Mar; every weekday 3–27 Feb made a holiday leaves one working day (2 Mar) -> Tue 3 Mar.
    [Test]
    public void CalendarMonths_Article2AppliesToo_WhenTheMonthHoldsFewerThanTwoWorkingDays()
    {
        var extra = Enumerable.Range(0, 25).Select(i => D("2026-02-03").AddDays(i)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var c = DeadlineRule.Parse("1mo").Compute(DutchTime.FromLocal(D("2026-02-02"), new TimeOnly(10, 0)), WorkingDayCalendar.Atw(extra));
        Assert.Multiple(() =>
        {
            Assert.That(DueDate(c), Is.EqualTo(D("2026-03-03")));
            Assert.That(c.Notes, Has.Some.StartsWith("Atw art. 2:"));
        });
        // Without those days the month holds plenty: nothing changes.
        Assert.That(DueDate(Run("1mo", "2026-02-02")), Is.EqualTo(D("2026-03-02")));
    }

    // Atw art. 4 onder a: the act does not apply to terms "in meer dan 90 dagen ... in meer dan drie maanden": they end on
    // their nominal day even when it is a Sunday or a holiday; up to 90 days and three months they are extended.
    // Sat 3 Jan 2026 + 90 days = Fri 3 Apr (Goede Vrijdag) -> Sat, Sun, Mon 6 (Tweede Paasdag) -> Tue 7 Apr.
    [TestCase("90d", "2026-01-03", "2026-04-07", false)]
    // Fri 2 Jan 2026 + 91 days = Fri 3 Apr (Goede Vrijdag): more than 90 days, not extended.
    [TestCase("91d", "2026-01-02", "2026-04-03", true)]
    // Thu 5 Feb 2026 + 3 months = Tue 5 May (Bevrijdingsdag) -> Wed 6 May.
    [TestCase("3mo", "2026-02-05", "2026-05-06", false)]
    // Sat 3 Jan 2026 + 4 months = Sun 3 May: more than three months, not extended.
    [TestCase("4mo", "2026-01-03", "2026-05-03", true)]
    public void Article4a_LongTermsAreNotExtended(string rule, string start, string expected, bool outside)
    {
        var c = Run(rule, start);
        Assert.Multiple(() =>
        {
            Assert.That(DueDate(c), Is.EqualTo(D(expected)));
            Assert.That(c.Notes.Any(n => n.StartsWith("Atw art. 4 onder a", StringComparison.Ordinal)), Is.EqualTo(outside));
            if (outside) Assert.That(c.Skipped, Is.Empty);
        });
    }
}
