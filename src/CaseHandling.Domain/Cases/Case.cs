using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Cases;

/// <summary>A matter the board learned of, with its duties and timeline.</summary>
public sealed class Case
{
    private readonly List<Duty> _duties = [];
    private readonly List<CaseEvent> _events = [];
    private readonly List<DecisionExplanation> _explanations = [];
    // Deadlines set by the decision being taken now; written into its explanation.
    private readonly List<DeadlineExplanation> _pendingDeadlines = [];

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
    // The monitoring figures' facts (docs/STATISTICS.md), kept on the case beside its timeline so that the figures are
    // counted from the cases alone: codes and times, which erasure keeps.
    /// <summary>When the overleg was first started (step 2).</summary>
    public DateTimeOffset? OverlegStartedAt { get; private set; }
    /// <summary>When the aangifte was first filed (step 5).</summary>
    public DateTimeOffset? AangifteFiledAt { get; private set; }
    /// <summary>The last conclusion of the overleg recorded (more information first, then a conclusion, is that conclusion).</summary>
    public CaseTrigger? LastConclusion { get; private set; }
    /// <summary>A legal hold keeps the case from erasure when its retention period ends (AVG art. 17(3)(e)).</summary>
    public bool LegalHold { get; private set; }
    /// <summary>When the retention job erased the content and destroyed the case's data key; the counts remain.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public IReadOnlyList<Duty> Duties => _duties;
    public IReadOnlyList<CaseEvent> Events => _events;
    /// <summary>Every decision about this case with its explanation, oldest first; a new decision is added, never overwrites.</summary>
    public IReadOnlyList<DecisionExplanation> Explanations => _explanations;

    /// <summary>The steps allowed now: the transition table for this state, with its guards applied.</summary>
    public IReadOnlyList<CaseTrigger> AllowedNext => Transitions.AllowedFrom(State, Coverage);

    public CaseFacts Facts => new(Sector, IncidentType, VictimKind, VictimAge, Afhankelijkheidsrelatie, AccusedRole, BoardLearnedAt);

    /// <summary>
    /// Opens a case. The regime is chosen by the date the board learned of the matter; the matrix
    /// decides which duties apply. A staff notification (step 1) is met by being filed.
    /// </summary>
    public static Case Open(
        Guid institutionId, CaseFacts facts, OpenedVia via, Actor openedBy, DateTimeOffset? staffLearnedAt,
        TimelineDetails details, DutyRules rules, DateTimeOffset now)
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
        c.Explain("Opened", decision, now);
        return c;
    }

    /// <summary>The outcomes of the overleg (step 3), as the monitoring figures count them.</summary>
    private static readonly IReadOnlySet<CaseTrigger> Conclusions = new HashSet<CaseTrigger>
    {
        CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.ConcludeSexualHarassment, CaseTrigger.ConcludeNoReasonableSuspicion,
        CaseTrigger.RequestMoreInformation,
    };

    /// <summary>
    /// The only place a case changes state. Reads the transition table; refuses a step out of order
    /// (409) or by the wrong role (403); fulfils and opens duties per the duty table.
    /// </summary>
    public Result Fire(CaseTrigger trigger, Actor actor, DateTimeOffset now, TimelineDetails details, DutyRules rules)
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
        Record(actor, now, WireName.Of(trigger), from, State, details);
        if (trigger == CaseTrigger.StartOverleg) OverlegStartedAt ??= now;
        if (trigger == CaseTrigger.FileAangifte) AangifteFiledAt ??= now;
        if (Conclusions.Contains(trigger)) LastConclusion = trigger;
        var reclassified = Reclassify(trigger, rules, actor, now);

        foreach (var duty in _duties.Where(d => d.MetAt is null && DutyTable.Get(d.Kind).MetBy.Contains(trigger)))
            duty.Fulfil(now);

        var decision = rules.Matrix.Decide(Facts, DutchTime.LocalDate(BoardLearnedAt));
        foreach (var def in DutyTable.Rows.Where(d => d.OpenedBy == trigger && d.AppliesUnder(Coverage)))
            OpenDuty(def.Kind, decision, now, rules);
        // A reclassification is a new decision of the matrix; a step that sets deadlines is a decision on those.
        if (reclassified || _pendingDeadlines.Count > 0)
            Explain(reclassified ? "Reclassified" : WireName.Of(trigger), decision, now);
        return Result.Success();
    }

    /// <summary>Step 2: the board names the vertrouwensinspecteur it consults.</summary>
    public Result StartOverleg(Actor board, string inspectorUserId, DateTimeOffset now, TimelineDetails details, DutyRules rules)
    {
        // Named before the step fires, so that the step-3 duty it opens is assigned to this inspector.
        var before = InspectorUserId;
        InspectorUserId = inspectorUserId;
        var result = Fire(CaseTrigger.StartOverleg, board, now, details, rules);
        if (!result.IsSuccess) InspectorUserId = before;
        return result;
    }

    /// <summary>
    /// Step 4: the board informed the parties. Who may and must be informed follows the victim (<see cref="Informing"/>):
    /// a refusal names the field, and the case does not move.
    /// </summary>
    public Result InformParties(Actor board, bool parents, bool student, bool accused, DateTimeOffset now, TimelineDetails details, DutyRules rules)
    {
        var errors = Informing.Check(VictimKind, VictimAge, parents, student, accused);
        if (errors.Count > 0 && Transitions.Find(State, CaseTrigger.InformParties) is not null && board.Role == StaffRole.Board)
            return new ValidationFailed(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        return Fire(CaseTrigger.InformParties, board, now, details, rules);
    }

    /// <summary>Step 4 could not be done: the written reason is kept and flagged to the inspector.</summary>
    public Result RecordInformingImpossible(Actor board, string reason, DateTimeOffset now, TimelineDetails details, DutyRules rules)
    {
        var result = Fire(CaseTrigger.RecordInformingImpossible, board, now, details, rules);
        if (result.IsSuccess) InformingImpossibleReason = reason;
        return result;
    }

    /// <summary>Step 7 / closing: the follow-up chosen.</summary>
    public Result RecordFollowUp(Actor board, FollowUp followUp, DateTimeOffset now, TimelineDetails details, DutyRules rules)
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
        // The board keeps its own files (the API's route already says so; this holds for every front end).
        if (board.Role != StaffRole.Board) return new Forbidden("A legal hold on a case is the board's to set.");
        if (ErasedAt is not null) return new StepNotAllowed("Erased", hold ? "PlaceLegalHold" : "LiftLegalHold", []);
        LegalHold = hold;
        LastChangedAt = now;
        Record(board, now, hold ? "LegalHoldPlaced" : "LegalHoldLifted", State, State, TimelineDetails.None);
        return Result.Success();
    }

    /// <summary>
    /// Information that reaches an existing case from outside the chain (a meldpunt report joined to it):
    /// recorded on the timeline; the state and the duties do not change.
    /// </summary>
    public void AttachInformation(Actor actor, string kind, TimelineDetails details, DateTimeOffset now)
    {
        LastChangedAt = now;
        Record(actor, now, kind, State, State, details);
    }

    /// <summary>
    /// The overleg may classify the matter differently from the report: seksuele intimidatie found to be a
    /// zedenmisdrijf opens the aangifte duties (bill 36 777), and the reverse closes no duty already met.
    /// The regime stays the one of the date the board learned of the matter.
    /// </summary>
    private bool Reclassify(CaseTrigger trigger, DutyRules rules, Actor actor, DateTimeOffset now)
    {
        var newType = trigger switch
        {
            CaseTrigger.ConcludeReasonableSuspicion when IncidentType != IncidentType.Zedenmisdrijf => IncidentType.Zedenmisdrijf,
            CaseTrigger.ConcludeSexualHarassment when IncidentType != IncidentType.SeksueleIntimidatie => IncidentType.SeksueleIntimidatie,
            _ => (IncidentType?)null,
        };
        if (newType is not { } type) return false;
        var before = IncidentType;
        IncidentType = type;
        var decision = rules.Matrix.Decide(Facts, DutchTime.LocalDate(BoardLearnedAt));
        ApplyDecision(decision);
        Record(actor, now, "Reclassified", State, State, new Reclassified(before.ToString(), type.ToString(), Coverage.ToString(), CoverageReason));
        return true;
    }

    /// <summary>Adds the explanation of a decision just taken, with the deadlines it set; earlier ones stay as they are.</summary>
    private void Explain(string decisionName, MatrixDecision decision, DateTimeOffset now)
    {
        var json = Explanation.Of(decisionName, now, Facts, decision, [.. _pendingDeadlines]).ToJson();
        _explanations.Add(new DecisionExplanation(Guid.CreateVersion7(now), Id, _explanations.Count + 1, now, decisionName, json));
        _pendingDeadlines.Clear();
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
        var (rule, computation, reminders) = rules.ScheduleExplained(kind, start);
        var duty = new Duty(Guid.CreateVersion7(start), Id, InstitutionId, kind, def.Step, def.Responsible,
            decision.LegalBasis(Sector, def), decision.Regime.Id, start, computation.Due, reminders)
        {
            AssigneeUserId = def.Responsible == StaffRole.Vertrouwensinspecteur ? InspectorUserId : null,
        };
        _duties.Add(duty);
        _pendingDeadlines.Add(DeadlineExplanation.Of(duty, rule, computation));
        return duty;
    }

    private void Record(Actor actor, DateTimeOffset at, string kind, CaseState? from, CaseState to, TimelineDetails details) =>
        _events.Add(new CaseEvent(Guid.CreateVersion7(at), Id, _events.Count + 1, at, actor.UserId, actor.Role, kind, from, to,
            details.ToJson()));
}
