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
        var rule = Policy.RuleFor(kind);
        var due = rule.DueFrom(start, Calendar);
        return (due, ReminderPolicy.RemindersFor(start, due, rule is Deadlines.DeadlineRule.Hours, Calendar));
    }
}
