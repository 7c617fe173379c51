using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>One incident of the caller's school, with what was done (opened under its data key); the read is audited.</summary>
public sealed record GetIncident(Guid IncidentId) : IQuery<Result<IncidentView>>;

public sealed class GetIncidentHandler(CaseHandlingDbContext db, IncidentAccess access, DataKeys keys, AuditTrail audit, TimeProvider time)
    : IQueryHandler<GetIncident, Result<IncidentView>>
{
    public async ValueTask<Result<IncidentView>> Handle(GetIncident q, CancellationToken ct)
    {
        var keeper = await access.RegisterKeeperAsync(ct);
        if (!keeper.IsSuccess) return keeper.Error!;
        var (user, institution) = keeper.Value;
        await keys.PreloadAsync([q.IncidentId], ct);
        var incident = await access.Own(institution.Id).AsNoTracking().Include(i => i.Duties).FirstOrDefaultAsync(i => i.Id == q.IncidentId, ct);
        if (incident is null) return new NotFound("The incident");
        var caseNumber = incident.LinkedCaseId is { } c ? await db.Cases.AsNoTracking().Where(x => x.Id == c).Select(x => x.Number).FirstOrDefaultAsync(ct) : null;
        await audit.RecordAsync(incident.Id, "read", user, ct);
        return IncidentView.Of(incident, caseNumber, time.GetUtcNow());
    }
}
