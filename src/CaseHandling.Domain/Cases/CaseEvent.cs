namespace CaseHandling.Domain.Cases;

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
