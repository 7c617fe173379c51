using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Incidents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>
/// The Inspectorate's intake (role Inspectie, not the vertrouwensinspecteur): the reports of serious or recurring safety
/// incidents received from the schools it supervises (po, vo and so, where the duty lies), newest first. The minimum the
/// report holds, in codes: never what was done, a pupil number or a name. Each report listed is in its audit trail.
/// </summary>
public sealed record ListIncidentReports(int Limit = 200) : IQuery<Result<IReadOnlyList<IncidentReportView>>>;

public sealed record IncidentReportView(Guid Id, string Number, string School, Sector Sector, IncidentCategory Category, DateOnly OccurredOn,
    PlaceType Place, HarmedParty Harmed, ReportReason Reason, bool LinkedToCase, DateOnly ReportedOn, DateTimeOffset RecordedAt,
    ReportDelivery Delivery, string LegalBasis);

public sealed class ListIncidentReportsHandler(CaseHandlingDbContext db, Infrastructure.Security.CurrentUserAccessor current,
    Infrastructure.Persistence.AuditTrail audit) : IQueryHandler<ListIncidentReports, Result<IReadOnlyList<IncidentReportView>>>
{
    public async ValueTask<Result<IReadOnlyList<IncidentReportView>>> Handle(ListIncidentReports q, CancellationToken ct)
    {
        var supervised = IncidentRules.Sectors.Where(s => s.Applies).Select(s => s.Sector).ToList();
        var rows = await (from i in db.Incidents.AsNoTracking()
                          join s in db.Institutions.AsNoTracking() on i.InstitutionId equals s.Id
                          where i.ReportRecordedAt != null && supervised.Contains(i.Sector)
                          orderby i.ReportRecordedAt descending
                          select new { i.Id, i.Number, School = s.Name, i.Sector, i.Category, i.OccurredOn, i.Place, i.Harmed, i.ReportReason,
                              Linked = i.LinkedCaseId != null, i.ReportedOn, i.ReportRecordedAt, i.ReportDelivery,
                              Basis = i.Duties.Select(d => d.LegalBasis).FirstOrDefault() })
            .Take(Math.Clamp(q.Limit, 1, 1000)).ToListAsync(ct);
        var user = current.Get();
        foreach (var r in rows) await audit.RecordAsync(r.Id, "read:IncidentReport", user, ct);
        return rows.Select(r => new IncidentReportView(r.Id, r.Number, r.School, r.Sector, r.Category, r.OccurredOn, r.Place, r.Harmed, r.ReportReason,
            r.Linked, r.ReportedOn!.Value, r.ReportRecordedAt!.Value, r.ReportDelivery!.Value, r.Basis ?? IncidentRules.Basis(r.Sector))).ToList();
    }
}
