using System.Globalization;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Tests.Deadlines;

public class DeadlineRuleTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Default;

    /// <summary>An Amsterdam wall-clock time, "yyyy-MM-dd HH:mm".</summary>
    private static DateTimeOffset Local(string text)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return DutchTime.FromLocal(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static IEnumerable<TestCaseData> DueCases()
    {
        // Hours: absolute, through DST, nights and weekends.
        yield return new TestCaseData(new DeadlineRule.Hours(4), "2026-03-29 00:30", "2026-03-29 05:30").SetName("Hours_AcrossSpringForward_IsAbsolute");
        yield return new TestCaseData(new DeadlineRule.Hours(4), "2026-10-25 00:30", "2026-10-25 03:30").SetName("Hours_AcrossFallBack_IsAbsolute");
        yield return new TestCaseData(new DeadlineRule.Hours(4), "2026-01-09 22:00", "2026-01-10 02:00").SetName("Hours_IntoSaturday_NotMoved");
        yield return new TestCaseData(new DeadlineRule.Hours(48), "2026-01-09 12:00", "2026-01-11 12:00").SetName("Hours_OverWeekend_IgnoresWeekend");
        yield return new TestCaseData(new DeadlineRule.Hours(0), "2026-01-10 12:00", "2026-01-10 12:00").SetName("Hours_Zero_IsStart");

        // Working days.
        yield return new TestCaseData(new DeadlineRule.WorkingDays(1, new TimeOnly(12, 0)), "2025-12-24 10:00", "2025-12-29 12:00").SetName("WorkingDaysAt_AcrossChristmas_NextMondayAtNoon");
        yield return new TestCaseData(new DeadlineRule.WorkingDays(2, null), "2025-12-24 10:00", "2025-12-30 10:00").SetName("WorkingDays_AcrossChristmas_SameWallClockTime");
        yield return new TestCaseData(new DeadlineRule.WorkingDays(1, new TimeOnly(12, 0)), "2026-05-13 16:00", "2026-05-15 12:00").SetName("WorkingDaysAt_AcrossAscension_FridayAtNoon");
        yield return new TestCaseData(new DeadlineRule.WorkingDays(1, null), "2026-01-10 09:00", "2026-01-12 09:00").SetName("WorkingDays_StartSaturday_CountsFromSaturday");
        yield return new TestCaseData(new DeadlineRule.WorkingDays(2, null), "2026-03-27 09:00", "2026-03-31 09:00").SetName("WorkingDays_AcrossDst_SameWallClockTime");
        yield return new TestCaseData(new DeadlineRule.WorkingDays(1, null), "2026-01-15 23:30", "2026-01-16 23:30").SetName("WorkingDays_LateEvening_UsesLocalDate");
        yield return new TestCaseData(new DeadlineRule.WorkingDays(0, new TimeOnly(17, 0)), "2026-01-15 09:00", "2026-01-15 17:00").SetName("WorkingDaysAt_Zero_SameDayAtTime");

        // Calendar days: Atw art. 1 lid 1 moves an end on a Saturday, Sunday or holiday.
        yield return new TestCaseData(new DeadlineRule.CalendarDays(5), "2026-01-05 09:00", "2026-01-12 09:00").SetName("CalendarDays_EndsOnSaturday_MovesToMonday");
        yield return new TestCaseData(new DeadlineRule.CalendarDays(7), "2026-04-20 10:00", "2026-04-28 10:00").SetName("CalendarDays_EndsOnKoningsdag_MovesToNextWorkingDay");
        yield return new TestCaseData(new DeadlineRule.CalendarDays(7), "2026-03-27 10:00", "2026-04-07 10:00").SetName("CalendarDays_EndsOnGoodFriday_MovesPastEaster");
        yield return new TestCaseData(new DeadlineRule.CalendarDays(3), "2026-01-05 09:00", "2026-01-08 09:00").SetName("CalendarDays_EndsOnWorkingDay_NotMoved");

        // Calendar months.
        yield return new TestCaseData(new DeadlineRule.CalendarMonths(3), "2026-01-31 09:00", "2026-04-30 09:00").SetName("CalendarMonths_FromMonthEnd_ClampsToApril30");
        yield return new TestCaseData(new DeadlineRule.CalendarMonths(1), "2026-02-07 09:00", "2026-03-09 09:00").SetName("CalendarMonths_EndsOnSaturday_MovesToMonday");
        yield return new TestCaseData(new DeadlineRule.CalendarMonths(2), "2026-03-05 09:00", "2026-05-06 09:00").SetName("CalendarMonths_EndsOnBevrijdingsdag_MovesToNextDay");
    }

    [TestCaseSource(nameof(DueCases))]
    public void DueFrom_Start_ReturnsExpectedUtcInstant(DeadlineRule rule, string startLocal, string expectedLocal)
    {
        var due = rule.DueFrom(Local(startLocal), Calendar);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(due, Is.EqualTo(Local(expectedLocal)));
            Assert.That(due.Offset, Is.EqualTo(TimeSpan.Zero));
        }
    }

    [Test]
    public void DueFrom_WorkingDaysAtNoonAcrossChristmas_IsElevenUtc() =>
        Assert.That(new DeadlineRule.WorkingDays(1, new TimeOnly(12, 0)).DueFrom(Utc("2025-12-24T09:00:00Z"), Calendar),
            Is.EqualTo(Utc("2025-12-29T11:00:00Z")));

    [Test]
    public void DueFrom_StartWithNonZeroOffset_UsesAmsterdamWallClock() =>
        // 23:30 in New York on 9 January is 05:30 on Saturday 10 January in Amsterdam: 1wd -> Monday 05:30.
        Assert.That(new DeadlineRule.WorkingDays(1, null).DueFrom(Utc("2026-01-09T23:30:00-05:00"), Calendar),
            Is.EqualTo(Local("2026-01-12 05:30")));

    [Test]
    public void DueFrom_ExtraHoliday_IsSkipped() =>
        Assert.That(new DeadlineRule.WorkingDays(1, new TimeOnly(12, 0)).DueFrom(Local("2026-05-13 16:00"), new WorkingDayCalendar([new DateOnly(2026, 5, 15)])),
            Is.EqualTo(Local("2026-05-18 12:00")));

    [Test]
    public void DueFrom_DueTimeInSpringForwardGap_MovesToFirstValidInstant() =>
        // Atw days always end on a working day, never on the DST Sunday; only "0wd@" can name a time in the gap.
        // 02:30 on 29 March 2026 does not exist in Amsterdam; it becomes 03:00 CEST (01:00 UTC).
        Assert.That(new DeadlineRule.WorkingDays(0, new TimeOnly(2, 30)).DueFrom(Local("2026-03-29 00:15"), Calendar),
            Is.EqualTo(Utc("2026-03-29T01:00:00Z")));

    [TestCase("4h")]
    [TestCase("0h")]
    [TestCase("2wd")]
    [TestCase("1wd@12:00")]
    [TestCase("0wd@00:00")]
    [TestCase("5wd@23:59")]
    [TestCase("7d")]
    [TestCase("3mo")]
    public void Parse_CanonicalText_RoundTrips(string text) =>
        Assert.That(DeadlineRule.Parse(text).ToString(), Is.EqualTo(text));

    private static IEnumerable<TestCaseData> ParseCases()
    {
        yield return new TestCaseData("4h", new DeadlineRule.Hours(4));
        yield return new TestCaseData("2wd", new DeadlineRule.WorkingDays(2, null));
        yield return new TestCaseData("1wd@12:00", new DeadlineRule.WorkingDays(1, new TimeOnly(12, 0)));
        yield return new TestCaseData("7d", new DeadlineRule.CalendarDays(7));
        yield return new TestCaseData("3mo", new DeadlineRule.CalendarMonths(3));
        yield return new TestCaseData("  3MO ", new DeadlineRule.CalendarMonths(3));
        yield return new TestCaseData("\t2WD@09:30\n", new DeadlineRule.WorkingDays(2, new TimeOnly(9, 30)));
        yield return new TestCaseData("024H", new DeadlineRule.Hours(24));
    }

    [TestCaseSource(nameof(ParseCases))]
    public void Parse_Text_ReturnsRule(string text, DeadlineRule expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DeadlineRule.Parse(text), Is.EqualTo(expected));
            Assert.That(DeadlineRule.TryParse(text, out var rule), Is.True);
            Assert.That(rule, Is.EqualTo(expected));
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("x")]
    [TestCase("h")]
    [TestCase("4")]
    [TestCase("-1h")]
    [TestCase("+1h")]
    [TestCase("4x")]
    [TestCase("4 h")]
    [TestCase("1.5h")]
    [TestCase("3wd@25:00")]
    [TestCase("3wd@12:60")]
    [TestCase("3wd@9:00")]
    [TestCase("3wd@12")]
    [TestCase("3wd@")]
    [TestCase("3wd@12:00:00")]
    [TestCase("4h@12:00")]
    [TestCase("7d@12:00")]
    [TestCase("99999999999h")]
    public void Parse_InvalidText_ThrowsFormatExceptionAndTryParseFails(string text)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => DeadlineRule.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains("not a deadline rule"));
            Assert.That(DeadlineRule.TryParse(text, out var rule), Is.False);
            Assert.That(rule, Is.Null);
        }
    }

    [Test]
    public void TryParse_Null_ReturnsFalse() =>
        Assert.That(DeadlineRule.TryParse(null, out _), Is.False);

    [Test]
    public void Constructors_NegativeCount_Throw()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new DeadlineRule.Hours(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new DeadlineRule.WorkingDays(-1, null), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new DeadlineRule.CalendarDays(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new DeadlineRule.CalendarMonths(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void WorkingDays_TimeWithSeconds_Throws() =>
        Assert.That(() => new DeadlineRule.WorkingDays(1, new TimeOnly(12, 0, 30)), Throws.ArgumentException);
}
