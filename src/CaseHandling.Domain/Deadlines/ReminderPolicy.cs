using CaseHandling.Domain.Calendar;

namespace CaseHandling.Domain.Deadlines;

/// <summary>
/// When the responsible party is reminded before a duty falls due, and how often an overdue duty is
/// escalated. Policy, not law. Defaults: at the middle of the window and one working day before the
/// deadline (one hour before for deadlines counted in hours); escalation when due and then every
/// working day until the duty is met.
/// </summary>
public sealed record ReminderPolicy(bool AtMidpoint, int WorkingDaysBefore, int HoursBeforeHourDeadlines, DeadlineRule EscalationInterval)
{
    public static ReminderPolicy Default { get; } = new(true, 1, 1, new DeadlineRule.WorkingDays(1, null));

    /// <summary>
    /// The reminder instants for a duty opened at <paramref name="opened"/> and due at <paramref name="due"/>:
    /// strictly inside the window, ascending, without duplicates. Computed once when the duty opens and stored,
    /// so a later policy change does not move the reminders of open duties.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> RemindersFor(DateTimeOffset opened, DateTimeOffset due, bool hourDeadline, WorkingDayCalendar calendar)
    {
        var points = new List<DateTimeOffset>();
        if (AtMidpoint) points.Add(opened + (due - opened) / 2);
        if (hourDeadline)
        {
            if (HoursBeforeHourDeadlines > 0) points.Add(due.AddHours(-HoursBeforeHourDeadlines));
        }
        else if (WorkingDaysBefore > 0)
        {
            points.Add(WorkingDaysBeforeDue(due, WorkingDaysBefore, calendar));
        }
        return points.Where(p => p > opened && p < due)
            .Select(p => new DateTimeOffset(p.UtcDateTime, TimeSpan.Zero))
            .Distinct().Order().ToList();
    }

    /// <summary>The escalation after <paramref name="previous"/> (the due time, or the last escalation).</summary>
    public DateTimeOffset NextEscalation(DateTimeOffset previous, WorkingDayCalendar calendar) => EscalationInterval.DueFrom(previous, calendar);

    /// <summary>The same Amsterdam wall-clock time, <paramref name="n"/> working days before the deadline's date.</summary>
    private static DateTimeOffset WorkingDaysBeforeDue(DateTimeOffset due, int n, WorkingDayCalendar calendar)
    {
        var local = DutchTime.ToLocal(due);
        var date = DateOnly.FromDateTime(local);
        for (var left = n; left > 0;)
        {
            date = date.AddDays(-1);
            if (calendar.IsWorkingDay(date)) left--;
        }
        return DutchTime.FromLocal(date, TimeOnly.FromDateTime(local));
    }
}
