using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>The accused of one report as named (plain, opened from the sealed content), for the handler to check or correct.</summary>
public sealed record GetAccused(Guid ReportId) : IQuery<Result<AccusedView>>;

/// <param name="InstitutionId">The accused's institution; null when nothing is named yet.</param>
public sealed record AccusedView(Guid ReportId, string ReportNumber, Guid ReportInstitutionId, string? Name, Guid? InstitutionId,
    string? Email, string? StaffNumber, bool Erased);

public sealed class GetAccusedHandler(CaseHandlingDbContext db, DataKeys keys, AuditTrail audit, CurrentUserAccessor current)
    : IQueryHandler<GetAccused, Result<AccusedView>>
{
    public async ValueTask<Result<AccusedView>> Handle(GetAccused q, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().Where(r => r.Id == q.ReportId)
            .Select(r => new { r.Id, r.Number, r.InstitutionId, r.ErasedAt }).FirstOrDefaultAsync(ct);
        if (report is null) return new NotFound("Report");
        await keys.PreloadAsync([q.ReportId], ct);
        var a = await db.ReportAccused.AsNoTracking().FirstOrDefaultAsync(x => x.ReportId == q.ReportId, ct);
        // Reading the accused's name is reading the report's content.
        await audit.RecordAsync(report.Id, "read", current.Get(), ct);
        return new AccusedView(report.Id, report.Number, report.InstitutionId, a?.Name, a?.InstitutionId, a?.Email, a?.StaffNumber, report.ErasedAt is not null);
    }
}
