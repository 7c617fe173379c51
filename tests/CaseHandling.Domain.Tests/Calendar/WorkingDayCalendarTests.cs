using CaseHandling.Domain.Calendar;

namespace CaseHandling.Domain.Tests.Calendar;

public class WorkingDayCalendarTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    [TestCase(2024, "2024-03-31")]
    [TestCase(2025, "2025-04-20")]
    [TestCase(2026, "2026-04-05")]
    [TestCase(2027, "2027-03-28")]
    [TestCase(2028, "2028-04-16")]
    [TestCase(2029, "2029-04-01")]
    [TestCase(2030, "2030-04-21")]
    [TestCase(2000, "2000-04-23")]
    [TestCase(2038, "2038-04-25")] // latest possible date
    [TestCase(2285, "2285-03-22")] // earliest possible date
    [TestCase(1961, "1961-04-02")]
    public void EasterSunday_KnownYear_ReturnsGregorianEaster(int year, string expected) =>
        Assert.That(WorkingDayCalendar.EasterSunday(year), Is.EqualTo(D(expected)));

    [Test]
    public void StatutoryHolidays_2026_ListsEveryHolidayInDateOrder()
    {
        var expected = new[]
        {
            new Holiday(D("2026-01-01"), "Nieuwjaarsdag"),
            new Holiday(D("2026-04-03"), "Goede Vrijdag"),
            new Holiday(D("2026-04-05"), "Eerste Paasdag"),
            new Holiday(D("2026-04-06"), "Tweede Paasdag"),
            new Holiday(D("2026-04-27"), "Koningsdag"),
            new Holiday(D("2026-05-05"), "Bevrijdingsdag"),
            new Holiday(D("2026-05-14"), "Hemelvaartsdag"),
            new Holiday(D("2026-05-24"), "Eerste Pinksterdag"),
            new Holiday(D("2026-05-25"), "Tweede Pinksterdag"),
            new Holiday(D("2026-12-25"), "Eerste Kerstdag"),
            new Holiday(D("2026-12-26"), "Tweede Kerstdag"),
        };
        Assert.That(WorkingDayCalendar.StatutoryHolidays(2026), Is.EqualTo(expected));
    }

    [TestCase(2024, "2024-04-27")] // a Saturday: stays
    [TestCase(2025, "2025-04-26")] // the 27th is a Sunday: the day before
    [TestCase(2026, "2026-04-27")]
    public void StatutoryHolidays_Koningsdag_OnThe27thUnlessSunday(int year, string expected) =>
        Assert.That(WorkingDayCalendar.StatutoryHolidays(year).Single(h => h.Name == "Koningsdag").Date, Is.EqualTo(D(expected)));

    [Test]
    public void StatutoryHolidays_AscensionOnFifthOfMay_KeepsBoth()
    {
        var onFifth = WorkingDayCalendar.StatutoryHolidays(2016).Where(h => h.Date == D("2016-05-05")).Select(h => h.Name);
        Assert.That(onFifth, Is.EquivalentTo(new[] { "Bevrijdingsdag", "Hemelvaartsdag" }));
    }

    [TestCase("2026-01-01", false)] // Nieuwjaarsdag
    [TestCase("2026-01-02", true)]  // Friday
    [TestCase("2026-01-03", false)] // Saturday
    [TestCase("2026-01-04", false)] // Sunday
    [TestCase("2026-04-03", false)] // Goede Vrijdag
    [TestCase("2026-04-06", false)] // Tweede Paasdag
    [TestCase("2026-05-05", false)] // Bevrijdingsdag, a Tuesday
    [TestCase("2026-05-14", false)] // Hemelvaartsdag
    [TestCase("2026-05-15", true)]  // Friday after Ascension: only by decree
    [TestCase("2026-05-25", false)] // Tweede Pinksterdag
    [TestCase("2025-04-26", false)] // Koningsdag 2025 (a Saturday anyway)
    [TestCase("2025-04-27", false)] // Sunday, not Koningsdag
    [TestCase("2025-04-28", true)]
    [TestCase("2026-12-24", true)]
    [TestCase("2026-12-25", false)]
    [TestCase("2026-12-28", true)]
    public void IsWorkingDay_DefaultCalendar_FollowsAtw(string date, bool expected) =>
        Assert.That(WorkingDayCalendar.Default.IsWorkingDay(D(date)), Is.EqualTo(expected));

    [Test]
    public void IsHoliday_SundayThatIsNoHoliday_ReturnsFalse() =>
        Assert.That(WorkingDayCalendar.Default.IsHoliday(D("2025-04-27")), Is.False);

    [Test]
    public void IsWorkingDay_ExtraHoliday_IsNotAWorkingDay()
    {
        var calendar = new WorkingDayCalendar([D("2026-05-15")]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(calendar.IsHoliday(D("2026-05-15")), Is.True);
            Assert.That(calendar.IsWorkingDay(D("2026-05-15")), Is.False);
            Assert.That(WorkingDayCalendar.Default.IsWorkingDay(D("2026-05-15")), Is.True);
        }
    }

    [Test]
    public void ExtraHolidays_UnorderedWithDuplicates_SortedAndDistinct()
    {
        var calendar = new WorkingDayCalendar([D("2026-12-31"), D("2026-05-15"), D("2026-12-31")]);
        Assert.That(calendar.ExtraHolidays, Is.EqualTo(new[] { D("2026-05-15"), D("2026-12-31") }));
    }

    [Test]
    public void Default_HasNoExtraHolidays() =>
        Assert.That(WorkingDayCalendar.Default.ExtraHolidays, Is.Empty);

    [TestCase("2026-01-02", "2026-01-02")] // a working day: itself
    [TestCase("2026-01-03", "2026-01-05")] // Saturday -> Monday
    [TestCase("2025-12-25", "2025-12-29")] // Christmas, then the weekend
    [TestCase("2026-04-03", "2026-04-07")] // Goede Vrijdag through Tweede Paasdag
    public void NextWorkingDayOnOrAfter_Date_ReturnsFirstWorkingDay(string date, string expected) =>
        Assert.That(WorkingDayCalendar.Default.NextWorkingDayOnOrAfter(D(date)), Is.EqualTo(D(expected)));

    [TestCase("2026-01-07", 0, "2026-01-07")]
    [TestCase("2026-01-10", 0, "2026-01-10")] // Saturday, zero: unchanged
    [TestCase("2026-01-09", 1, "2026-01-12")] // Friday -> Monday
    [TestCase("2026-01-10", 1, "2026-01-12")] // Saturday -> Monday
    [TestCase("2026-01-07", 5, "2026-01-14")]
    [TestCase("2025-12-24", 1, "2025-12-29")] // over Christmas and a weekend
    [TestCase("2025-12-24", 3, "2025-12-31")]
    [TestCase("2025-12-31", 1, "2026-01-02")] // over Nieuwjaarsdag
    [TestCase("2026-05-13", 1, "2026-05-15")] // over Hemelvaartsdag
    public void AddWorkingDays_Count_SkipsWeekendsAndHolidays(string date, int count, string expected) =>
        Assert.That(WorkingDayCalendar.Default.AddWorkingDays(D(date), count), Is.EqualTo(D(expected)));

    [Test]
    public void AddWorkingDays_ExtraHoliday_IsSkipped() =>
        Assert.That(new WorkingDayCalendar([D("2026-05-15")]).AddWorkingDays(D("2026-05-13"), 1), Is.EqualTo(D("2026-05-18")));

    [Test]
    public void AddWorkingDays_Negative_Throws() =>
        Assert.That(() => WorkingDayCalendar.Default.AddWorkingDays(D("2026-01-07"), -1), Throws.TypeOf<ArgumentOutOfRangeException>());
}

public class DutchTimeTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");
    private static TimeOnly T(string hhmm) => TimeOnly.ParseExact(hhmm, "HH:mm");
    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [TestCase("2026-01-15", "12:00", "2026-01-15T11:00:00Z")] // winter, UTC+1
    [TestCase("2026-07-15", "12:00", "2026-07-15T10:00:00Z")] // summer, UTC+2
    [TestCase("2026-03-29", "01:59", "2026-03-29T00:59:00Z")] // just before spring forward
    [TestCase("2026-03-29", "03:00", "2026-03-29T01:00:00Z")] // just after
    public void FromLocal_ValidTime_ReturnsUtcInstantThatRoundTrips(string date, string time, string expectedUtc)
    {
        var instant = DutchTime.FromLocal(D(date), T(time));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(instant, Is.EqualTo(Utc(expectedUtc)));
            Assert.That(instant.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(DutchTime.ToLocal(instant), Is.EqualTo(D(date).ToDateTime(T(time))));
        }
    }

    [TestCase("02:00")]
    [TestCase("02:30")]
    [TestCase("02:59")]
    public void FromLocal_SpringForwardGap_MovesToFirstValidInstant(string time)
    {
        var instant = DutchTime.FromLocal(D("2026-03-29"), T(time));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(instant, Is.EqualTo(Utc("2026-03-29T01:00:00Z")));
            Assert.That(DutchTime.ToLocal(instant), Is.EqualTo(new DateTime(2026, 3, 29, 3, 0, 0)));
        }
    }

    [Test]
    public void FromLocal_AmbiguousAutumnTime_TakesSummerTimeInstant() =>
        Assert.That(DutchTime.FromLocal(D("2026-10-25"), T("02:30")), Is.EqualTo(Utc("2026-10-25T00:30:00Z")));

    [TestCase("2026-01-15T23:30:00Z", "2026-01-16")] // past local midnight in winter
    [TestCase("2026-07-15T21:59:00Z", "2026-07-15")]
    [TestCase("2026-07-15T22:00:00Z", "2026-07-16")] // local midnight in summer
    [TestCase("2026-07-16T00:30:00+02:00", "2026-07-16")] // any offset in, same instant
    public void LocalDate_Instant_ReturnsAmsterdamDate(string instant, string expected) =>
        Assert.That(DutchTime.LocalDate(Utc(instant)), Is.EqualTo(D(expected)));

    [Test]
    public void Amsterdam_IsEuropeAmsterdam() =>
        Assert.That(DutchTime.Amsterdam.GetUtcOffset(new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Utc)), Is.EqualTo(TimeSpan.FromHours(2)));
}
