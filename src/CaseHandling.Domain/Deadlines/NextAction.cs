using CaseHandling.Domain.Calendar;

namespace CaseHandling.Domain.Deadlines;

/// <summary>
/// Where an open duty stands in its schedule, as stored: its due time, the reminder instants fixed when it opened,
/// the number of its next action (0..R-1 the reminders, R and up the escalations), when that action is due, and how
/// often it was escalated. The deadline sweep reads these columns and asks <see cref="NextAction.Decide"/> what to do.
/// </summary>
public readonly record struct DutySchedule(
    DateTimeOffset DueAt, IReadOnlyList<DateTimeOffset> Reminders, int Seq, DateTimeOffset ScheduledAt, int Escalations);

public enum DutyActionKind { Remind, Escalate }

/// <summary>
/// What to do now (<see cref="Kind"/>), and the duty's schedule afterwards: the number and the instant of its next
/// action, and its escalation count. Writing <see cref="Seq"/> only where the stored number is still the one read
/// makes running the sweep twice harmless.
/// </summary>
public sealed record DutyAction(DutyActionKind Kind, int Seq, DateTimeOffset NextAt, int Escalations);

public static class NextAction
{
    /// <summary>
    /// The one rule for reminders and escalations. Nothing before the scheduled instant. Before the deadline: one
    /// reminder, however many reminder instants a late sweep has passed (they are skipped, not sent in a row). From
    /// the deadline on: one escalation, and the next one an escalation interval later (default: the next working day);
    /// intervals missed while nothing ran are skipped, not caught up, so nobody gets a burst of mail after an outage.
    /// </summary>
    public static DutyAction? Decide(DutySchedule s, DateTimeOffset now, ReminderPolicy policy, WorkingDayCalendar calendar)
    {
        if (now < s.ScheduledAt) return null;
        var reminders = s.Reminders.Count;
        if (s.Seq < reminders && now < s.DueAt)
        {
            // The last reminder instant that has passed: earlier ones that a late sweep missed are skipped.
            var seq = s.Seq;
            while (seq + 1 < reminders && s.Reminders[seq + 1] <= now) seq++;
            var next = seq + 1 < reminders ? s.Reminders[seq + 1] : s.DueAt;
            return new DutyAction(DutyActionKind.Remind, seq + 1, next, s.Escalations);
        }

        // A reminder is only useful before the deadline: a late sweep goes straight to the escalation.
        var escalationSeq = Math.Max(s.Seq, reminders);
        var from = s.Seq >= reminders ? s.ScheduledAt : s.DueAt;
        var nextEscalation = policy.NextEscalation(from, calendar);
        while (nextEscalation <= now) nextEscalation = policy.NextEscalation(nextEscalation, calendar);
        return new DutyAction(DutyActionKind.Escalate, escalationSeq + 1, nextEscalation, s.Escalations + 1);
    }
}
