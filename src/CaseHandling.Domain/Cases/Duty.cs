using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Cases;

/// <summary>An open or fulfilled duty, with its due time from the policy when it opened.</summary>
public sealed class Duty
{
    private Duty() { } // EF

    /// <summary>A duty of a board's case (the chain).</summary>
    public Duty(Guid id, Guid caseId, Guid institutionId, DutyKind kind, int step, StaffRole responsible,
        string legalBasis, string regimeId, DateTimeOffset openedAt, DateTimeOffset dueAt, IReadOnlyList<DateTimeOffset>? reminders = null)
    {
        Id = id; CaseId = caseId; InstitutionId = institutionId; Kind = kind; Step = step; Responsible = responsible;
        LegalBasis = legalBasis; RegimeId = regimeId; OpenedAt = openedAt; DueAt = dueAt;
        Schedule(reminders);
    }

    /// <summary>A service level of a meldpunt report: not the board's, so no institution.</summary>
    public static Duty ForReport(Guid id, Guid reportId, DutyKind kind, StaffRole responsible, string legalBasis,
        DateTimeOffset openedAt, DateTimeOffset dueAt, IReadOnlyList<DateTimeOffset>? reminders = null)
    {
        var d = new Duty { Id = id, ReportId = reportId, Kind = kind, Step = 0, Responsible = responsible, LegalBasis = legalBasis,
            RegimeId = "meldpunt", OpenedAt = openedAt, DueAt = dueAt };
        d.Schedule(reminders);
        return d;
    }

    /// <summary>The report duty of a registered safety incident: the board's, so on its work list.</summary>
    public static Duty ForIncident(Guid id, Guid incidentId, Guid institutionId, DutyKind kind, StaffRole responsible, string legalBasis,
        DateTimeOffset openedAt, DateTimeOffset dueAt, IReadOnlyList<DateTimeOffset>? reminders = null)
    {
        var d = new Duty { Id = id, IncidentId = incidentId, InstitutionId = institutionId, Kind = kind, Step = 0, Responsible = responsible,
            LegalBasis = legalBasis, RegimeId = "incidentenregister", OpenedAt = openedAt, DueAt = dueAt };
        d.Schedule(reminders);
        return d;
    }

    private void Schedule(IReadOnlyList<DateTimeOffset>? reminders)
    {
        ReminderTimes = reminders?.ToList() ?? [];
        NextActionSeq = 0;
        NextActionAt = ReminderTimes.Count > 0 ? ReminderTimes[0] : DueAt;
    }

    public Guid Id { get; private set; }
    /// <summary>The board's case this duty belongs to; null for a meldpunt report's service level.</summary>
    public Guid? CaseId { get; private set; }
    /// <summary>The meldpunt report this duty belongs to; null for a case duty.</summary>
    public Guid? ReportId { get; private set; }
    /// <summary>The registered safety incident this duty belongs to (its report to the Inspectorate); null otherwise.</summary>
    public Guid? IncidentId { get; private set; }
    /// <summary>Copied from the case so that a board's open-duty list needs no join; null for report duties.</summary>
    public Guid? InstitutionId { get; private set; }
    /// <summary>The person who must act, where the duty is one person's: the inspector of the overleg for step 3 (the inspector's queue).</summary>
    public string? AssigneeUserId { get; internal init; }
    public DutyKind Kind { get; private set; }
    public int Step { get; private set; }
    public StaffRole Responsible { get; private set; }
    public string LegalBasis { get; private set; } = "";
    public string RegimeId { get; private set; } = "";
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset? MetAt { get; private set; }

    /// <summary>Reminder instants, fixed when the duty opened (a later policy change does not move them).</summary>
    public List<DateTimeOffset> ReminderTimes { get; private set; } = [];
    /// <summary>
    /// When the deadline sweep must act next (a reminder, or an escalation once due); null once met.
    /// Actions are numbered: 0..R-1 are the reminders, R and up the escalations. The sweep only acts on
    /// the number it read, so running it twice never sends the same reminder or escalation twice.
    /// </summary>
    public DateTimeOffset? NextActionAt { get; private set; }
    public int NextActionSeq { get; private set; }
    public int EscalationCount { get; private set; }
    public DateTimeOffset? LastEscalatedAt { get; private set; }

    public DutyStatus StatusAt(DateTimeOffset now) => MetAt switch
    {
        null when now > DueAt => DutyStatus.Overdue,
        null => DutyStatus.Open,
        { } met when met > DueAt => DutyStatus.MetLate,
        _ => DutyStatus.Met,
    };

    public Duty Fulfil(DateTimeOffset at)
    {
        MetAt ??= at;
        NextActionAt = null;
        return this;
    }

    /// <summary>
    /// No more reminders or escalations, while the duty stays unmet: its subject ended without it (a meldpunt report
    /// closed before its service level was met). <see cref="MetAt"/> stays empty, so whether the duty was met stays true.
    /// </summary>
    public Duty StopReminders()
    {
        if (MetAt is null) NextActionAt = null;
        return this;
    }
}

/// <summary>Where a duty stands at a moment: open, overdue, met in time or met late.</summary>
public enum DutyStatus { Open, Overdue, Met, MetLate }
