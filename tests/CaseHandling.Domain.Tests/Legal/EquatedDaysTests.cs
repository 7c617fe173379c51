using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Tests.Legal;

/// <summary>Atw art. 3 lid 3: the days equated with a holiday by the published decrees, one test per shipped year.</summary>
public class EquatedDaysTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    // The days written out from the decrees' titles (docs/RULES.md names each decree), not read from the data.
    [TestCase(2017, new[] { "2017-04-28", "2017-05-26" })]
    [TestCase(2018, new[] { "2018-05-11", "2018-12-24", "2018-12-31" })]
    [TestCase(2019, new[] { "2019-05-31", "2019-12-27" })]
    [TestCase(2023, new[] { "2023-04-28", "2023-05-19" })]
    [TestCase(2024, new[] { "2024-05-10", "2024-12-27" })]
    [TestCase(2025, new[] { "2025-05-30" })]
    [TestCase(2026, new[] { "2026-01-02", "2026-05-15" })]
    [TestCase(2027, new[] { "2027-05-07" })]
    [TestCase(2028, new[] { "2028-04-28", "2028-05-26" })]
    public void ShippedYear_DecreedDays_AreHolidaysAndNoOthers(int year, string[] days)
    {
        var expected = days.Select(D).ToArray();
        var calendar = WorkingDayCalendar.Atw();
        Assert.Multiple(() =>
        {
            Assert.That(calendar.DecreedDays.Where(d => d.Date.Year == year).Select(d => d.Date), Is.EqualTo(expected));
            foreach (var day in expected)
            {
                Assert.That(calendar.IsWorkingDay(day), Is.False, $"{day} is equated with a holiday");
                Assert.That(WorkingDayCalendar.Default.IsWorkingDay(day), Is.True, $"{day} is a working day without the decree");
                Assert.That(calendar.WhyNotAWorkingDay(day), Does.Contain("Atw art. 3 lid 3"));
            }
        });
    }

    [Test]
    public void YearsCovered_AreTheShippedDecreesYears() =>
        Assert.That(EquatedDays.YearsCovered, Is.EqualTo(new[] { 2017, 2018, 2019, 2023, 2024, 2025, 2026, 2027, 2028 }));

    [Test]
    public void EveryShippedDay_IsAWeekdayAndNoStatutoryHoliday_AndItsDecreeCoversItsYear()
    {
        Assert.Multiple(() =>
        {
            foreach (var d in EquatedDays.All)
            {
                Assert.That(d.Date.DayOfWeek, Is.Not.EqualTo(DayOfWeek.Saturday).And.Not.EqualTo(DayOfWeek.Sunday), d.Date.ToString());
                Assert.That(WorkingDayCalendar.StatutoryHolidays(d.Date.Year).Select(h => h.Date), Does.Not.Contain(d.Date));
                Assert.That(d.Date.Year, Is.InRange(d.Decree.FirstYear, d.Decree.LastYear));
                Assert.That(d.Decree.Title, Does.Contain(d.Date.Year.ToString()), "the decree's title names the year of each day");
            }
        });
    }

    [Test]
    public void FridayAfterAscension_IsEquatedInEveryShippedYear()
    {
        foreach (var year in EquatedDays.YearsCovered)
            Assert.That(WorkingDayCalendar.Atw().IsWorkingDay(WorkingDayCalendar.EasterSunday(year).AddDays(40)), Is.False, year.ToString());
    }

    [Test]
    public void ExtraHolidays_StillAddDays_OnTopOfTheDecrees()
    {
        var calendar = WorkingDayCalendar.Atw([D("2026-12-31")]);
        Assert.Multiple(() =>
        {
            Assert.That(calendar.IsWorkingDay(D("2026-12-31")), Is.False);
            Assert.That(calendar.IsWorkingDay(D("2026-05-15")), Is.False);
            Assert.That(calendar.WhyNotAWorkingDay(D("2026-12-31")), Does.Contain("Rules:ExtraHolidays"));
            Assert.That(WorkingDayCalendar.Atw().IsWorkingDay(D("2026-12-31")), Is.True);
        });
    }

    [Test]
    public void WorkingDayDeadline_OverAscension2026_SkipsThursdayAndTheDecreedFriday()
    {
        var start = DutchTime.FromLocal(D("2026-05-13"), new TimeOnly(16, 0));
        var c = new DeadlineRule.WorkingDays(1, new TimeOnly(12, 0)).Compute(start, WorkingDayCalendar.Atw());
        Assert.Multiple(() =>
        {
            Assert.That(DutchTime.ToLocal(c.Due), Is.EqualTo(new DateTime(2026, 5, 18, 12, 0, 0)));
            Assert.That(c.Skipped.Select(s => s.Reason), Is.EqualTo(new[]
            {
                "14 mei: Hemelvaartsdag, Atw art. 3 lid 1",
                "15 mei: vrijdag na Hemelvaartsdag, gelijkgesteld met een feestdag (Atw art. 3 lid 3; " + EquatedDays.Decree2026To2028.Title + ")",
                "16 mei: zaterdag, Atw art. 1 lid 1",
                "17 mei: zondag, Atw art. 1 lid 1",
            }));
        });
    }

    [TestCase("2026-04-27", "27 april: Koningsdag, Atw art. 3 lid 1")]
    [TestCase("2025-04-26", "26 april: Koningsdag, Atw art. 3 lid 1")] // the 27th was a Sunday
    [TestCase("2026-04-03", "3 april: Goede Vrijdag, Atw art. 3 lid 2")]
    [TestCase("2016-05-05", "5 mei: Bevrijdingsdag en Hemelvaartsdag, Atw art. 3 lid 1")]
    [TestCase("2026-04-05", "5 april: Eerste Paasdag, Atw art. 3 lid 1")]
    public void WhyNotAWorkingDay_NamesTheHolidayAndItsArticle(string date, string expected) =>
        Assert.That(WorkingDayCalendar.Atw().WhyNotAWorkingDay(D(date)), Is.EqualTo(expected));
}
