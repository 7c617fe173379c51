using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Infrastructure.Matching;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>
/// The board, or a staff member it authorised, registers a safety incident (bill 36 777; memo 2023, footnote 2). No names:
/// the category, the day, the type of place, who was harmed, what was done and whether it was serious. The school's own
/// pupil number is optional and kept only as a keyed hash, to find recurrence. A serious or recurring incident opens the duty
/// to report it to the Inspectorate. A sexual incident involving someone who works for the school links to the chain case
/// named by <see cref="LinkedCaseNumber"/>, or opens one: it is a matter of the meld-, overleg- en aangifteplicht too.
/// </summary>
public sealed record RegisterIncident(
    IncidentCategory? Category, DateOnly? OccurredOn, PlaceType? Place, HarmedParty? Harmed, string? WhatWasDone,
    bool Serious = false, bool SeriousInjury = false, bool Firearm = false, bool InvolvesStaffMember = false,
    string? PupilNumber = null, string? LinkedCaseNumber = null, bool SexualOffence = false, VictimAge? VictimAge = null)
    : ICommand<Result<IncidentRef>>, IValidatable
{
    public const int MaxWhatWasDone = 4_000;

    public IEnumerable<(string Field, string Message)> Validate()
    {
        foreach (var e in Check.Required("category", Category)) yield return e;
        foreach (var e in Check.Required("occurredOn", OccurredOn)) yield return e;
        foreach (var e in Check.Required("place", Place)) yield return e;
        foreach (var e in Check.Required("harmed", Harmed)) yield return e;
        foreach (var e in Check.RequiredText("whatWasDone", WhatWasDone, MaxWhatWasDone)) yield return e;
        foreach (var e in Check.MaxLength("pupilNumber", PupilNumber, 40)) yield return e;
        foreach (var e in Check.MaxLength("linkedCaseNumber", LinkedCaseNumber, 32)) yield return e;
        // A chain case needs the victim's age to choose its duties (WVO, WEC and WHW speak of minors).
        if (Category is { } c && Incident.BelongsInTheChain(c, InvolvesStaffMember) && string.IsNullOrWhiteSpace(LinkedCaseNumber)
            && Harmed == HarmedParty.Pupil && VictimAge is null)
            yield return ("victimAge", "Required: a sexual incident involving someone who works for the school opens a case of the meld-, overleg- en aangifteplicht.");
    }
}

public sealed class RegisterIncidentHandler(CaseHandlingDbContext db, IncidentAccess access, MatchingKeys matching, DutyRules rules, UnitOfWork work,
    TimeProvider time) : ICommandHandler<RegisterIncident, Result<IncidentRef>>
{
    public async ValueTask<Result<IncidentRef>> Handle(RegisterIncident cmd, CancellationToken ct)
    {
        var keeper = await access.RegisterKeeperAsync(ct);
        if (!keeper.IsSuccess) return keeper.Error!;
        var (user, institution) = keeper.Value;
        var now = time.GetUtcNow();
        if (cmd.OccurredOn > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1))
            return ValidationFailed.Single("occurredOn", "Must not be in the future.");

        var facts = new IncidentFacts(institution.Sector, cmd.Category!.Value, cmd.OccurredOn!.Value, cmd.Serious, cmd.SeriousInjury, cmd.Firearm);
        (string Version, byte[] Hash)? pupil = string.IsNullOrWhiteSpace(cmd.PupilNumber) || !cmd.PupilNumber.Any(char.IsLetterOrDigit)
            ? null : matching.PupilNumber(institution.Id, cmd.PupilNumber);
        var earlier = 0;
        if (pupil is { } p)
        {
            var from = facts.OccurredOn.AddDays(-IncidentRules.RecurrenceWindowDays);
            earlier = await access.Own(institution.Id).AsNoTracking()
                .CountAsync(i => i.PupilKeyVersion == p.Version && i.PupilHash == p.Hash && i.ErasedAt == null
                                 && i.OccurredOn >= from && i.OccurredOn <= facts.OccurredOn, ct);
        }

        var incident = Incident.Register(institution.Id, facts, cmd.Place!.Value, cmd.Harmed!.Value, cmd.InvolvesStaffMember, cmd.WhatWasDone!.Trim(),
            pupil, earlier, user.UserId, rules, now);
        work.Add(incident);
        work.Audit(incident.Id, "change:IncidentRegistered", user);

        Case? opened = null;
        string? linkedNumber = null;
        if (Incident.BelongsInTheChain(incident.Category, incident.InvolvesStaffMember))
        {
            if (!string.IsNullOrWhiteSpace(cmd.LinkedCaseNumber))
            {
                var number = cmd.LinkedCaseNumber.Trim();
                var existing = await db.Cases.AsNoTracking().Where(c => c.InstitutionId == institution.Id && c.Number == number)
                    .Select(c => new { c.Id, c.Number }).FirstOrDefaultAsync(ct);
                if (existing is null) return ValidationFailed.Single("linkedCaseNumber", "No case of this school has this number.");
                incident.LinkTo(existing.Id);
                linkedNumber = existing.Number;
                work.Audit(existing.Id, "change:IncidentLinked", user);
            }
            else
            {
                // The chain's own facts: the victim as harmed, the accused someone who works for the school. A staff member's
                // registration is their notification to the board (lid 3); the board's is its learning of it (lid 1).
                var victim = incident.Harmed switch
                {
                    HarmedParty.Pupil => VictimKind.Student,
                    HarmedParty.StaffMember => VictimKind.StaffMember,
                    HarmedParty.Parent or HarmedParty.None => VictimKind.Other,
                };
                var caseFacts = new CaseFacts(institution.Sector, cmd.SexualOffence ? IncidentType.Zedenmisdrijf : IncidentType.SeksueleIntimidatie,
                    victim, cmd.VictimAge ?? VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, now);
                var byStaff = user.Role == StaffRole.StaffMember;
                opened = Case.Open(institution.Id, caseFacts, byStaff ? OpenedVia.StaffNotification : OpenedVia.BoardRegistration, user.Actor,
                    byStaff ? now : null, new CaseOpened($"Uit het incidentenregister. Wat de school deed: {incident.WhatWasDone}"), rules, now);
                work.Add(opened);
                work.Audit(opened.Id, "change:Opened", user);
                incident.LinkTo(opened.Id);
            }
        }

        return await work.CommitAsync("The incident", () => new IncidentRef(incident.Id, incident.Number, incident.Duties.Count > 0,
            incident.LinkedCaseId, linkedNumber ?? opened?.Number), ct);
    }
}
