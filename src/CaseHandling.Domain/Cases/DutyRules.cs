using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Cases;

/// <summary>What a case needs from configuration to open and advance duties.</summary>
public sealed record DutyRules(DutyMatrix Matrix, DeadlinePolicy Policy, WorkingDayCalendar Calendar, Deadlines.ReminderPolicy? Reminders = null,
    DateOnly? IncidentRegisterEffectiveFrom = null, Incidents.ReportDelivery IncidentReportDelivery = Incidents.ReportDelivery.RecordOnly)
{
    public Deadlines.ReminderPolicy ReminderPolicy => Reminders ?? Deadlines.ReminderPolicy.Default;

    /// <summary>A duty's due time and its stored reminder instants, from the policy in force when it opens.</summary>
    public (DateTimeOffset Due, IReadOnlyList<DateTimeOffset> Reminders) Schedule(DutyKind kind, DateTimeOffset start)
    {
        var (_, computation, reminders) = ScheduleExplained(kind, start);
        return (computation.Due, reminders);
    }

    /// <summary>As <see cref="Schedule"/>, with the rule applied and how the due time was reached (for the explanation trail).</summary>
    public (Deadlines.DeadlineRule Rule, Deadlines.DeadlineComputation Computation, IReadOnlyList<DateTimeOffset> Reminders) ScheduleExplained(
        DutyKind kind, DateTimeOffset start)
    {
        var rule = Policy.RuleFor(kind);
        var computation = rule.Compute(start, Calendar);
        return (rule, computation, ReminderPolicy.RemindersFor(start, computation.Due, rule is Deadlines.DeadlineRule.Hours, Calendar));
    }
}
