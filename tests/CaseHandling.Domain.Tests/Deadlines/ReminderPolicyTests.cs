using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Tests.Deadlines;

public sealed class ReminderPolicyTests
{
    private static DateTimeOffset Local(int y, int mo, int d, int h, int mi = 0) => DutchTime.FromLocal(new DateOnly(y, mo, d), new TimeOnly(h, mi));

    [Test]
    public void RemindersFor_HourDeadline_MidpointAndOneHourBefore()
    {
        var opened = Local(2026, 3, 2, 9);
        var due = opened.AddHours(4);
        var reminders = ReminderPolicy.Default.RemindersFor(opened, due, hourDeadline: true, WorkingDayCalendar.Default);
        Assert.That(reminders, Is.EqualTo(new[] { opened.AddHours(2), opened.AddHours(3) }));
    }

    [Test]
    public void RemindersFor_DeadlineOnTuesdayAfterKoningsdag_OneWorkingDayBeforeIsFriday()
    {
        // Koningsdag 2026 is Monday 27 April; the working day before Tuesday 28 April is Friday 24 April.
        var opened = Local(2026, 4, 23, 9);
        var due = Local(2026, 4, 28, 12);
        var reminders = ReminderPolicy.Default.RemindersFor(opened, due, hourDeadline: false, WorkingDayCalendar.Default);
        Assert.That(reminders, Does.Contain(Local(2026, 4, 24, 12)));
        Assert.That(reminders, Is.Ordered);
    }

    [Test]
    public void RemindersFor_DeadlineOnMondayAfterChristmas_OneWorkingDayBeforeIsChristmasEve()
    {
        var opened = Local(2025, 12, 22, 9);
        var due = Local(2025, 12, 29, 12);
        var reminders = ReminderPolicy.Default.RemindersFor(opened, due, hourDeadline: false, WorkingDayCalendar.Default);
        Assert.That(reminders, Does.Contain(Local(2025, 12, 24, 12)));
    }

    [Test]
    public void RemindersFor_DeadlineOnMonday_OneWorkingDayBeforeIsFridayNotSunday()
    {
        var opened = Local(2026, 3, 5, 9);
        var due = Local(2026, 3, 9, 12);
        var reminders = ReminderPolicy.Default.RemindersFor(opened, due, hourDeadline: false, WorkingDayCalendar.Default);
        Assert.That(reminders, Does.Contain(Local(2026, 3, 6, 12)));
    }

    [Test]
    public void RemindersFor_PointsOutsideTheWindow_Dropped()
    {
        // Opened Friday 11:00, due Monday 12:00: "one working day before" (Friday 12:00) is inside; a window of
        // one hour has its "one working day before" outside the window and only the midpoint remains.
        var opened = Local(2026, 3, 6, 11);
        var reminders = ReminderPolicy.Default.RemindersFor(opened, opened.AddHours(1), hourDeadline: false, WorkingDayCalendar.Default);
        Assert.That(reminders, Is.EqualTo(new[] { opened.AddMinutes(30) }));
        var none = new ReminderPolicy(false, 0, 0, new DeadlineRule.WorkingDays(1, null)).RemindersFor(opened, opened.AddDays(3), false, WorkingDayCalendar.Default);
        Assert.That(none, Is.Empty);
    }

    [Test]
    public void NextEscalation_FridayEscalation_NextIsMonday()
    {
        var friday = Local(2026, 3, 6, 12);
        Assert.That(ReminderPolicy.Default.NextEscalation(friday, WorkingDayCalendar.Default), Is.EqualTo(Local(2026, 3, 9, 12)));
    }
}
