using System.Text.Json;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>
/// A case with its timeline (every step, who, when), every duty with its due time and status, and the explanation of every
/// decision taken about it (regime, matrix rule and article; per deadline the rule, start, days passed over and due), oldest first.
/// </summary>
public sealed record GetCase(Guid CaseId) : IQuery<Result<CaseDetail>>;

public sealed record CaseDetail(
    Guid Id, string Number, CaseState State, IReadOnlyList<CaseTrigger> AllowedNext,
    Sector Sector, IncidentType IncidentType, IncidentType ReportedIncidentType,
    VictimKind VictimKind, VictimAge VictimAge, bool Afhankelijkheidsrelatie, AccusedRole AccusedRole,
    OpenedVia OpenedVia, DateTimeOffset BoardLearnedAt, string RegimeId, Coverage Coverage, string CoverageReason,
    string? InspectorId, string? InformingImpossibleReason, FollowUp? FollowUp, uint Version,
    DateTimeOffset? ClosedAt, bool LegalHold, DateTimeOffset? ErasedAt,
    IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<DutyView> Duties,
    IReadOnlyList<Explanation> Explanations);

public sealed record TimelineEntry(int Sequence, DateTimeOffset At, string ActorId, string ActorName, StaffRole? ActorRole,
    string Step, CaseState? FromState, CaseState ToState, JsonElement Details);

public sealed class GetCaseHandler(CaseStore store, CaseHandlingDbContext db, CurrentUserAccessor current, AuditTrail audit, TimeProvider time,
    Infrastructure.Encryption.DataKeys keys)
    : IQueryHandler<GetCase, Result<CaseDetail>>
{
    public async ValueTask<Result<CaseDetail>> Handle(GetCase q, CancellationToken ct)
    {
        var user = current.Get();
        // The data key asynchronously now, not synchronously while the rows are read.
        await keys.PreloadAsync([q.CaseId], ct);
        var c = await store.Visible(user)
            .AsNoTracking()
            .Include(x => x.Duties)
            .Include(x => x.Events)
            .Include(x => x.Explanations)
            .AsSplitQuery()
            .FirstOrDefaultAsync(x => x.Id == q.CaseId, ct);
        if (c is null) return new NotFound("Case");
        await audit.RecordAsync(c.Id, "read", user, ct);

        var actorIds = c.Events.Select(e => e.ActorUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var now = time.GetUtcNow();

        return new CaseDetail(c.Id, c.Number, c.State, c.AllowedNext, c.Sector, c.IncidentType, c.ReportedIncidentType,
            c.VictimKind, c.VictimAge, c.Afhankelijkheidsrelatie, c.AccusedRole, c.OpenedVia, c.BoardLearnedAt, c.RegimeId, c.Coverage,
            c.CoverageReason, c.InspectorUserId, c.InformingImpossibleReason, c.FollowUp, c.Version, c.ClosedAt, c.LegalHold, c.ErasedAt,
            c.Events.OrderBy(e => e.Sequence).Select(e => new TimelineEntry(e.Sequence, e.At, e.ActorUserId,
                names.GetValueOrDefault(e.ActorUserId, ""), e.ActorRole, e.Kind, e.FromState, e.ToState,
                JsonDocument.Parse(e.DetailsJson).RootElement.Clone())).ToList(),
            c.Duties.OrderBy(d => d.Step).ThenBy(d => d.OpenedAt).Select(d => DutyView.Of(d, now)).ToList(),
            c.Explanations.OrderBy(x => x.Sequence).Select(x => x.Read()).ToList());
    }
}
