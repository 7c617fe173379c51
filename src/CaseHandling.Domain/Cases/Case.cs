using System.Text.Json;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Cases;

/// <summary>What a case needs from configuration to open and advance duties.</summary>
public sealed record DutyRules(DutyMatrix Matrix, DeadlinePolicy Policy, WorkingDayCalendar Calendar, Deadlines.ReminderPolicy? Reminders = null)
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

/// <summary>A matter the board learned of, with its duties and timeline.</summary>
public sealed class Case
{
    private readonly List<Duty> _duties = [];
    private readonly List<CaseEvent> _events = [];

    private Case() { } // EF

    public Guid Id { get; private set; }
    /// <summary>The human-facing number, e.g. "CH-2026-000123"; assigned by the database.</summary>
    public string Number { get; private set; } = "";
    public Guid InstitutionId { get; private set; }
    public Sector Sector { get; private set; }
    public IncidentType IncidentType { get; private set; }
    public IncidentType ReportedIncidentType { get; private set; }
    public VictimKind VictimKind { get; private set; }
    public VictimAge VictimAge { get; private set; }
    public bool Afhankelijkheidsrelatie { get; private set; }
    public AccusedRole AccusedRole { get; private set; }
    public OpenedVia OpenedVia { get; private set; }
    public string OpenedByUserId { get; private set; } = "";
    public DateTimeOffset BoardLearnedAt { get; private set; }
    public string RegimeId { get; private set; } = "";
    public Coverage Coverage { get; private set; }
    /// <summary>Why the matrix decided as it did (which rule of which regime).</summary>
    public string CoverageReason { get; private set; } = "";
    public CaseState State { get; private set; }
    public string? InspectorUserId { get; private set; }
    /// <summary>Why informing the parties before the aangifte was not possible; shown to the inspector.</summary>
    public string? InformingImpossibleReason { get; private set; }
    public FollowUp? FollowUp { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset LastChangedAt { get; private set; }
    /// <summary>When the follow-up closed the case; the retention period runs from here.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>The state the case was closed from: it decides the retention outcome (RetentionPolicy.OutcomeOf).</summary>
    public CaseState? ClosedFrom { get; private set; }
    /// <summary>A legal hold keeps the case from erasure when its retention period ends (AVG art. 17(3)(e)).</summary>
    public bool LegalHold { get; private set; }
    /// <summary>When the retention job erased the content and destroyed the case's data key; the counts remain.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public IReadOnlyList<Duty> Duties => _duties;
    public IReadOnlyList<CaseEvent> Events => _events;

    /// <summary>The steps allowed now: the transition table for this state, with its guards applied.</summary>
    public IReadOnlyList<CaseTrigger> AllowedNext => Transitions.AllowedFrom(State, Coverage);

    public CaseFacts Facts => new(Sector, IncidentType, VictimKind, VictimAge, Afhankelijkheidsrelatie, AccusedRole, BoardLearnedAt);

    /// <summary>
    /// Opens a case. The regime is chosen by the date the board learned of the matter; the matrix
    /// decides which duties apply. A staff notification (step 1) is met by being filed.
    /// </summary>
    public static Case Open(
        Guid institutionId, CaseFacts facts, OpenedVia via, Actor openedBy, DateTimeOffset? staffLearnedAt,
        IReadOnlyDictionary<string, string?> details, DutyRules rules, DateTimeOffset now)
    {
        var decision = rules.Matrix.Decide(facts, DutchTime.LocalDate(facts.BoardLearnedAt));
        var c = new Case
        {
            Id = Guid.CreateVersion7(now),
            InstitutionId = institutionId,
            Sector = facts.Sector,
            IncidentType = facts.IncidentType,
            ReportedIncidentType = facts.IncidentType,
            VictimKind = facts.VictimKind,
            VictimAge = facts.VictimAge,
            Afhankelijkheidsrelatie = facts.Afhankelijkheidsrelatie,
            AccusedRole = facts.AccusedRole,
            OpenedVia = via,
            OpenedByUserId = openedBy.UserId,
            BoardLearnedAt = facts.BoardLearnedAt,
            OpenedAt = now,
            LastChangedAt = now,
        };
        c.ApplyDecision(decision);
        c.State = decision.Coverage == Coverage.None ? CaseState.OutsideChain : CaseState.Registered;
        c.Record(openedBy, now, "Opened", null, c.State, details);

        if (decision.Coverage != Coverage.None)
        {
            if (via == OpenedVia.StaffNotification && staffLearnedAt is { } learned)
                c.OpenDuty(DutyKind.StaffNotification, decision, learned, rules).Fulfil(now);
            c.OpenDuty(DutyKind.StartOverleg, decision, facts.BoardLearnedAt, rules);
        }
        return c;
    }

    /// <summary>
    /// The only place a case changes state. Reads the transition table; refuses a step out of order
    /// (409) or by the wrong role (403); fulfils and opens duties per the duty table.
    /// </summary>
    public Result Fire(CaseTrigger trigger, Actor actor, DateTimeOffset now, IReadOnlyDictionary<string, string?> details, DutyRules rules)
    {
        var transition = Transitions.Find(State, trigger);
        if (transition is null || !Transitions.Holds(transition.Guard, Coverage))
            return new InvalidTransition(State, trigger, AllowedNext);
        if (transition.By != actor.Role)
            return new Forbidden($"'{trigger}' is a step for the role {transition.By}.");

        var from = State;
        State = transition.To;
        LastChangedAt = now;
        if (State == CaseState.Closed) (ClosedAt, ClosedFrom) = (now, from);
        Record(actor, now, trigger.ToString(), from, State, details);
        Reclassify(trigger, rules, actor, now);

        foreach (var duty in _duties.Where(d => d.MetAt is null && DutyTable.Get(d.Kind).MetBy.Contains(trigger)))
            duty.Fulfil(now);

        var decision = rules.Matrix.Decide(Facts, DutchTime.LocalDate(BoardLearnedAt));
        foreach (var def in DutyTable.Rows.Where(d => d.OpenedBy == trigger && d.AppliesUnder(Coverage)))
            OpenDuty(def.Kind, decision, now, rules);
        return Result.Success();
    }

    /// <summary>Step 2: the board names the vertrouwensinspecteur it consults.</summary>
    public Result StartConsultation(Actor board, string inspectorUserId, DateTimeOffset now, IReadOnlyDictionary<string, string?> details, DutyRules rules)
    {
        // Named before the step fires, so that the step-3 duty it opens is assigned to this inspector.
        var before = InspectorUserId;
        InspectorUserId = inspectorUserId;
        var result = Fire(CaseTrigger.StartConsultation, board, now, details, rules);
        if (!result.IsSuccess) InspectorUserId = before;
        return result;
    }

    /// <summary>Step 4 could not be done: the written reason is kept and flagged to the inspector.</summary>
    public Result RecordInformingImpossible(Actor board, string reason, DateTimeOffset now, IReadOnlyDictionary<string, string?> details, DutyRules rules)
    {
        var result = Fire(CaseTrigger.RecordInformingImpossible, board, now, details, rules);
        if (result.IsSuccess) InformingImpossibleReason = reason;
        return result;
    }

    /// <summary>Step 7 / closing: the follow-up chosen.</summary>
    public Result RecordFollowUp(Actor board, FollowUp followUp, DateTimeOffset now, IReadOnlyDictionary<string, string?> details, DutyRules rules)
    {
        var result = Fire(CaseTrigger.RecordFollowUp, board, now, details, rules);
        if (result.IsSuccess) FollowUp = followUp;
        return result;
    }

    /// <summary>
    /// The board places or lifts a legal hold (e.g. pending proceedings): while it holds, the retention job
    /// leaves the case as it is. Recorded on the timeline; the state does not change.
    /// </summary>
    public Result SetLegalHold(Actor board, bool hold, DateTimeOffset now)
    {
        if (ErasedAt is not null) return new StepNotAllowed("Erased", hold ? "PlaceLegalHold" : "LiftLegalHold", []);
        LegalHold = hold;
        LastChangedAt = now;
        Record(board, now, hold ? "LegalHoldPlaced" : "LegalHoldLifted", State, State, new Dictionary<string, string?>());
        return Result.Success();
    }

    /// <summary>
    /// Information that reaches an existing case from outside the chain (a meldpunt report joined to it):
    /// recorded on the timeline; the state and the duties do not change.
    /// </summary>
    public void AttachInformation(Actor actor, string kind, IReadOnlyDictionary<string, string?> details, DateTimeOffset now)
    {
        LastChangedAt = now;
        Record(actor, now, kind, State, State, details);
    }

    /// <summary>
    /// The overleg may classify the matter differently from the report: seksuele intimidatie found to be a
    /// zedenmisdrijf opens the aangifte duties (bill 36 777), and the reverse closes no duty already met.
    /// The regime stays the one of the date the board learned of the matter.
    /// </summary>
    private void Reclassify(CaseTrigger trigger, DutyRules rules, Actor actor, DateTimeOffset now)
    {
        var newType = trigger switch
        {
            CaseTrigger.ConcludeReasonableSuspicion when IncidentType != IncidentType.Zedenmisdrijf => IncidentType.Zedenmisdrijf,
            CaseTrigger.ConcludeSexualHarassment when IncidentType != IncidentType.SeksueleIntimidatie => IncidentType.SeksueleIntimidatie,
            _ => (IncidentType?)null,
        };
        if (newType is not { } type) return;
        var before = IncidentType;
        IncidentType = type;
        var decision = rules.Matrix.Decide(Facts, DutchTime.LocalDate(BoardLearnedAt));
        ApplyDecision(decision);
        Record(actor, now, "Reclassified", State, State, new Dictionary<string, string?>
        {
            ["from"] = before.ToString(), ["to"] = type.ToString(), ["coverage"] = Coverage.ToString(), ["reason"] = CoverageReason,
        });
    }

    private void ApplyDecision(MatrixDecision decision)
    {
        RegimeId = decision.Regime.Id;
        Coverage = decision.Coverage;
        CoverageReason = $"{decision.Regime.Name}: {decision.Reason}";
    }

    private Duty OpenDuty(DutyKind kind, MatrixDecision decision, DateTimeOffset start, DutyRules rules)
    {
        var def = DutyTable.Get(kind);
        var (due, reminders) = rules.Schedule(kind, start);
        var duty = new Duty(Guid.CreateVersion7(start), Id, InstitutionId, kind, def.Step, def.Responsible,
            decision.LegalBasis(Sector, def), decision.Regime.Id, start, due, reminders)
        {
            AssigneeUserId = def.Responsible == StaffRole.Vertrouwensinspecteur ? InspectorUserId : null,
        };
        _duties.Add(duty);
        return duty;
    }

    private void Record(Actor actor, DateTimeOffset at, string kind, CaseState? from, CaseState to, IReadOnlyDictionary<string, string?> details) =>
        _events.Add(new CaseEvent(Guid.CreateVersion7(at), Id, _events.Count + 1, at, actor.UserId, actor.Role, kind, from, to,
            JsonSerializer.Serialize(details)));
}

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
}

public enum DutyStatus { Open, Overdue, Met, MetLate }

/// <summary>One line of a case's timeline: who did what, when, from which state to which.</summary>
public sealed class CaseEvent
{
    private CaseEvent() { } // EF

    public CaseEvent(Guid id, Guid caseId, int sequence, DateTimeOffset at, string actorUserId, StaffRole? actorRole,
        string kind, CaseState? fromState, CaseState toState, string detailsJson)
    {
        Id = id; CaseId = caseId; Sequence = sequence; At = at; ActorUserId = actorUserId; ActorRole = actorRole;
        Kind = kind; FromState = fromState; ToState = toState; DetailsJson = detailsJson;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public int Sequence { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string ActorUserId { get; private set; } = "";
    /// <summary>The role the actor acted in; null for the system (the deadline sweep).</summary>
    public StaffRole? ActorRole { get; private set; }
    public string Kind { get; private set; } = "";
    public CaseState? FromState { get; private set; }
    public CaseState ToState { get; private set; }
    public string DetailsJson { get; private set; } = "{}";
}
