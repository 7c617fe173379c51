using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Tests.Deadlines;

public sealed class DueDistanceTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Default;
    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => DutchTime.FromLocal(new DateOnly(2026, month, day), new TimeOnly(hour, minute));

    [Test]
    public void WithinTheHour_CountsMinutes() =>
        Assert.That(DueDistance.Between(At(11, 30, 9), At(11, 30, 9, 40), Calendar), Is.EqualTo(new DueDistance(40, DistanceUnit.Minutes, false)));

    [Test]
    public void WithinTheDay_CountsWholeHours() =>
        Assert.That(DueDistance.Between(At(11, 30, 9), At(11, 30, 12, 30), Calendar), Is.EqualTo(new DueDistance(3, DistanceUnit.Hours, false)));

    [Test]
    public void PastDue_IsLate() =>
        Assert.That(DueDistance.Between(At(11, 30, 14), At(11, 30, 12), Calendar), Is.EqualTo(new DueDistance(2, DistanceUnit.Hours, true)));

    [Test]
    public void Lateness_RoundsUp_TimeLeft_RoundsDown()
    {
        Assert.That(DueDistance.Between(At(11, 30, 13, 59), At(11, 30, 12), Calendar), Is.EqualTo(new DueDistance(2, DistanceUnit.Hours, true)));
        Assert.That(DueDistance.Between(At(11, 30, 10, 1), At(11, 30, 12), Calendar), Is.EqualTo(new DueDistance(1, DistanceUnit.Hours, false)));
        Assert.That(DueDistance.Between(At(11, 30, 11, 0), At(11, 30, 11, 59), Calendar), Is.EqualTo(new DueDistance(59, DistanceUnit.Minutes, false)));
    }

    [Test]
    public void OverAWeekend_CountsWorkingDaysOnly()
    {
        // Friday 27 November 2026 → Tuesday 1 December: Monday and Tuesday are the working days in between.
        Assert.That(DueDistance.Between(At(11, 27, 10), At(12, 1, 10), Calendar), Is.EqualTo(new DueDistance(2, DistanceUnit.WorkingDays, false)));
        Assert.That(DueDistance.Between(At(12, 1, 10), At(11, 27, 10), Calendar), Is.EqualTo(new DueDistance(2, DistanceUnit.WorkingDays, true)));
    }

    [Test]
    public void OverChristmas_SkipsBothHolidays() =>
        // Thursday 24 December → Monday 28 December: 25 and 26 are holidays, 27 is a Sunday.
        Assert.That(DueDistance.Between(At(12, 24, 10), At(12, 28, 10), Calendar), Is.EqualTo(new DueDistance(1, DistanceUnit.WorkingDays, false)));
}
