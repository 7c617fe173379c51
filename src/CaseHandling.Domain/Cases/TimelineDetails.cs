using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseHandling.Domain.Cases.Timeline;

/// <summary>
/// What a timeline entry records beyond who, when and from which state to which: one record per kind of entry, so
/// that every writer (the handlers, forwarding, the deadline sweep's SQL) says the same thing the same way. Stored
/// as JSON (camelCase, absent when empty) and sealed at rest; the values are text, as the API has always shown them.
/// </summary>
public abstract record TimelineDetails
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The stored form of these details.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GetType(), Json);

    /// <summary>An entry with nothing to add (a legal hold placed or lifted).</summary>
    public static readonly TimelineDetails None = new NoDetails();
}

public sealed record NoDetails : TimelineDetails;

/// <summary>Step 1: a matter registered by the board, or notified by a staff member (with when they learned of it).</summary>
public sealed record CaseOpened(string? Facts, string? StaffLearnedAt = null) : TimelineDetails;

/// <summary>A meldpunt report that opened or joined a case: only what the reporter consented to (or the staff duty forwards).</summary>
public sealed record FromMeldpunt(
    string StatutoryForwarding, string ForwardedItems, string? Facts = null, string? WhenHappened = null, string? Department = null,
    string? Contact = null, string? Messages = null) : TimelineDetails
{
    public string Source => "meldpunt";
}

/// <summary>Step 2: the overleg started with a named vertrouwensinspecteur.</summary>
public sealed record OverlegStarted(string InspectorId, string? FactsGiven) : TimelineDetails;

/// <summary>Step 3: the outcome of the overleg, with its reasoning.</summary>
public sealed record OverlegConcluded(string Outcome, string? Reasoning, string ConcludedBy, string? InformationExpectedBy) : TimelineDetails;

/// <summary>Step 4: who was informed, when and how.</summary>
public sealed record PartiesInformed(string InformedAt, string Parties, string? How) : TimelineDetails;

/// <summary>Step 4 could not be done: the reason, flagged to the inspector.</summary>
public sealed record InformingImpossible(string? Reason) : TimelineDetails
{
    public string FlaggedToInspector => "true";
}

/// <summary>Step 5: the aangifte.</summary>
public sealed record AangifteFiled(string FiledOn, string? PoliceUnit, string? RegistrationNumber) : TimelineDetails;

/// <summary>Step 6: the inspector notified of the aangifte.</summary>
public sealed record InspectorNotified(string NotifiedOn) : TimelineDetails;

/// <summary>Step 7: the follow-up chosen.</summary>
public sealed record FollowUpRecorded(string FollowUp, string? Reasoning) : TimelineDetails;

/// <summary>The overleg classified the matter differently from the report, and the matrix was applied again.</summary>
public sealed record Reclassified(string From, string To, string Coverage, string Reason) : TimelineDetails;

/// <summary>The deadline sweep escalated an overdue duty (written by set-based SQL, from this record).</summary>
public sealed record DutyEscalated(string Duty, string DueAt, string Escalation, string Notified) : TimelineDetails;
