using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Incidents;

/// <summary>
/// A safety incident in the school's register (bill 36 777; the memo's registration duty). No names: the register is for
/// the school's own analysis and the figures, not a file about a child. A pupil is recognised only by a keyed hash of the
/// school's own pupil number (recurrence). What was done is sealed under the incident's own data key.
/// </summary>
public sealed class Incident
{
    private readonly List<Duty> _duties = [];

    private Incident() { } // EF

    public Guid Id { get; private set; }
    /// <summary>The human-facing number, e.g. "VI-000012"; assigned by the database.</summary>
    public string Number { get; private set; } = "";
    public Guid InstitutionId { get; private set; }
    public Sector Sector { get; private set; }
    public IncidentCategory Category { get; private set; }
    public DateOnly OccurredOn { get; private set; }
    public PlaceType Place { get; private set; }
    public HarmedParty Harmed { get; private set; }
    public bool DeclaredSerious { get; private set; }
    public bool SeriousInjury { get; private set; }
    public bool Firearm { get; private set; }
    /// <summary>Someone who works for the school (a met taken belast persoon) is involved as the one who did it.</summary>
    public bool InvolvesStaffMember { get; private set; }
    /// <summary>Serious by the rules (declared, or one of the memo's examples).</summary>
    public bool Serious { get; private set; }
    public bool DutyApplies { get; private set; }
    public ReportReason ReportReason { get; private set; }
    /// <summary>Why the rules decided as they did.</summary>
    public string DecisionWhy { get; private set; } = "";
    /// <summary>What the school did about it (sealed).</summary>
    public string WhatWasDone { get; private set; } = "";
    /// <summary>The matching key's version under which <see cref="PupilHash"/> was made; null without a pupil number.</summary>
    public string? PupilKeyVersion { get; private set; }
    /// <summary>HMAC-SHA256 of the school's pupil number under the matching key (docs/MATCHING.md); the number itself is not stored.</summary>
    public byte[]? PupilHash { get; private set; }
    /// <summary>The chain case this incident belongs to (a sexual incident involving someone who works for the school).</summary>
    public Guid? LinkedCaseId { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public string RegisteredByUserId { get; private set; } = "";
    /// <summary>When the report to the Inspectorate was made, as the board states it; null while not reported.</summary>
    public DateOnly? ReportedOn { get; private set; }
    public DateTimeOffset? ReportRecordedAt { get; private set; }
    public ReportDelivery? ReportDelivery { get; private set; }
    /// <summary>When the retention job erased the content and destroyed the data key; the codes and counts remain.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }
    /// <summary>
    /// A legal hold keeps the incident from erasure when its retention period ends (AVG art. 17(3)(e), as for a case):
    /// e.g. while proceedings or the Inspectorate's inquiry need it.
    /// </summary>
    public bool LegalHold { get; private set; }
    public uint Version { get; private set; }

    public IReadOnlyList<Duty> Duties => _duties;

    public bool Reported => ReportRecordedAt is not null;

    /// <summary>A sexual incident involving someone working for the school is a matter of the meld-, overleg- en aangifteplicht too.</summary>
    public static bool BelongsInTheChain(IncidentCategory category, bool involvesStaffMember) =>
        category == IncidentCategory.SexualHarassmentOrAbuse && involvesStaffMember;

    public static Incident Register(Guid institutionId, IncidentFacts facts, PlaceType place, HarmedParty harmed, bool involvesStaffMember,
        string whatWasDone, (string Version, byte[] Hash)? pupil, int earlierForSamePupil, string registeredBy, DutyRules rules, DateTimeOffset now)
    {
        var decision = IncidentRules.Decide(facts, earlierForSamePupil, rules.IncidentRegisterEffectiveFrom);
        var i = new Incident
        {
            Id = Guid.CreateVersion7(now),
            InstitutionId = institutionId,
            Sector = facts.Sector,
            Category = facts.Category,
            OccurredOn = facts.OccurredOn,
            Place = place,
            Harmed = harmed,
            DeclaredSerious = facts.DeclaredSerious,
            SeriousInjury = facts.SeriousInjury,
            Firearm = facts.Firearm,
            InvolvesStaffMember = involvesStaffMember,
            Serious = decision.Serious,
            DutyApplies = decision.DutyApplies,
            ReportReason = decision.Reason,
            DecisionWhy = decision.Why,
            WhatWasDone = whatWasDone,
            PupilKeyVersion = pupil?.Version,
            PupilHash = pupil?.Hash,
            RegisteredAt = now,
            RegisteredByUserId = registeredBy,
        };
        if (decision.MustReport)
        {
            var (due, reminders) = rules.Schedule(DutyKind.ReportIncidentToInspectorate, now);
            i._duties.Add(Duty.ForIncident(Guid.CreateVersion7(now), i.Id, institutionId, DutyKind.ReportIncidentToInspectorate, StaffRole.Board,
                decision.Basis, now, due, reminders));
        }
        return i;
    }

    public void LinkTo(Guid caseId) => LinkedCaseId = caseId;

    /// <summary>The board records the report to the Inspectorate; it meets the duty.</summary>
    public Result RecordReport(DateOnly reportedOn, ReportDelivery delivery, DateTimeOffset now)
    {
        if (ErasedAt is not null) return new StepNotAllowed("Erased", "Report", []);
        if (Reported) return new StepNotAllowed("Reported", "Report", []);
        if (_duties.Count == 0) return new StepNotAllowed("NoDuty", "Report", []);
        ReportedOn = reportedOn;
        ReportRecordedAt = now;
        ReportDelivery = delivery;
        foreach (var d in _duties.Where(d => d.MetAt is null)) d.Fulfil(now);
        return Result.Success();
    }

    /// <summary>The board places or lifts a legal hold: while it holds, the retention job leaves the incident as it is.</summary>
    public Result SetLegalHold(bool hold)
    {
        if (ErasedAt is not null) return new StepNotAllowed("Erased", hold ? "PlaceLegalHold" : "LiftLegalHold", []);
        LegalHold = hold;
        return Result.Success();
    }
}
