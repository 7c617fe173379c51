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
}
