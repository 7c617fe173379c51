using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>
/// Who may keep a school's incident register: its board, and the staff members the board authorised
/// (<see cref="StaffUser.IncidentRegistrar"/>). Another school's incident is "not found".
/// </summary>
public sealed class IncidentAccess(CaseHandlingDbContext db, CurrentUserAccessor current)
{
    /// <summary>The caller's institution when they may keep its register; otherwise a 403.</summary>
    public async Task<Result<(CurrentUser User, Institution Institution)>> RegisterKeeperAsync(CancellationToken ct)
    {
        var user = current.Get();
        if (user.InstitutionId is not { } institutionId || user.Role is not (StaffRole.Board or StaffRole.StaffMember))
            return new Forbidden("The incident register is kept by a school's board and the staff members it authorised.");
        if (user.Role == StaffRole.StaffMember
            && !await db.Users.AsNoTracking().AnyAsync(u => u.Id == user.UserId && u.IncidentRegistrar, ct))
            return new Forbidden("The board has not authorised this staff member to keep the incident register.");
        var institution = await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == institutionId, ct);
        return institution is null ? new Forbidden("This account is not bound to an institution.") : (user, institution);
    }

    /// <summary>The caller's school's incidents only.</summary>
    public IQueryable<Incident> Own(Guid institutionId) => db.Incidents.Where(i => i.InstitutionId == institutionId);
}

/// <summary>An incident as its school sees it: codes, the decision, the report; the pupil number never (only whether one was given).</summary>
public sealed record IncidentView(Guid Id, string Number, Sector Sector, IncidentCategory Category, DateOnly OccurredOn, PlaceType Place,
    HarmedParty Harmed, bool Serious, bool InvolvesStaffMember, bool PupilNumberGiven, bool DutyApplies, ReportReason ReportReason,
    string DecisionWhy, string WhatWasDone, Guid? LinkedCaseId, string? LinkedCaseNumber, DateTimeOffset RegisteredAt,
    DateOnly? ReportedOn, DateTimeOffset? ReportRecordedAt, ReportDelivery? ReportDelivery, Shared.DutyView? ReportDuty, bool Erased, bool LegalHold)
{
    public static IncidentView Of(Incident i, string? caseNumber, DateTimeOffset now) =>
        new(i.Id, i.Number, i.Sector, i.Category, i.OccurredOn, i.Place, i.Harmed, i.Serious, i.InvolvesStaffMember, i.PupilHash is not null,
            i.DutyApplies, i.ReportReason, i.DecisionWhy, i.WhatWasDone, i.LinkedCaseId, caseNumber, i.RegisteredAt, i.ReportedOn,
            i.ReportRecordedAt, i.ReportDelivery, i.Duties.FirstOrDefault() is { } d ? Shared.DutyView.Of(d, now) : null, i.ErasedAt is not null, i.LegalHold);
}

/// <summary>What a command on an incident answers: its id and number, and the case it opened or links to.</summary>
public sealed record IncidentRef(Guid Id, string Number, bool ReportDutyOpened, Guid? LinkedCaseId, string? LinkedCaseNumber);
