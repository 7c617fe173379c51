using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The meldpunt handler's inbox: reports with an open service level first, the one due soonest first (the overdue
/// ones on top), then the others, most recently active first. At most <see cref="Limit"/> rows. With a number ("M-000042",
/// or "42"), that one report, whatever its status.
/// </summary>
public sealed record ListReports(bool IncludeClosed = false, string? Number = null) : IQuery<Result<IReadOnlyList<ReportInboxItem>>>
{
    public const int Limit = 500;
}

public sealed record ReportInboxItem(Guid Id, string Number, ReportStatus Status, IncidentType IncidentType, ReporterKind ReporterKind,
    bool Anonymous, DateTimeOffset SubmittedAt, DateTimeOffset LastActivityAt, DateTimeOffset? NextDueAt, DutyKind? NextDuty, bool ConsentGiven,
    bool Overdue = false, bool StatutoryForwarding = false);

public sealed class ListReportsHandler(CaseHandlingDbContext db, TimeProvider time) : IQueryHandler<ListReports, Result<IReadOnlyList<ReportInboxItem>>>
{
    public async ValueTask<Result<IReadOnlyList<ReportInboxItem>>> Handle(ListReports q, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(q.Number))
        {
            // Only a report number can match: anything else (a typo, a control character PostgreSQL would refuse) finds none.
            if (Normalise(q.Number) is not { } number) return await Items([], [], ct);
            var one = await db.Reports.AsNoTracking().Where(r => r.Number == number).Select(r => r.Id).ToListAsync(ct);
            var itsNext = await db.Duties.AsNoTracking().Where(d => d.ReportId != null && one.Contains(d.ReportId.Value) && d.MetAt == null
                    && db.Reports.Any(r => r.Id == d.ReportId && r.Status != ReportStatus.Closed))
                .OrderBy(d => d.DueAt).Select(d => new { Id = d.ReportId!.Value, d.DueAt, d.Kind }).Take(1).ToListAsync(ct);
            return await Items(one, itsNext.ToDictionary(d => d.Id, d => (d.DueAt, d.Kind)), ct);
        }
        // Read in due order from the open report duties (ix_duties_open_report_due_at), so the limit never cuts off the report
        // due soonest and the inbox does not sort every report. A report has at most two open service levels at once (the
        // acknowledgement and the feedback), so twice the limit of duties holds the first Limit reports.
        var due = await (from d in db.Duties.AsNoTracking()
                         join r in db.Reports.AsNoTracking() on d.ReportId equals r.Id
                         // A closed report's service level no longer runs in the inbox: it is listed with the others below.
                         where d.MetAt == null && r.Status != ReportStatus.Closed
                         orderby d.DueAt, d.ReportId
                         select new { Id = r.Id, d.DueAt, d.Kind })
            .Take(2 * ListReports.Limit).ToListAsync(ct);
        var next = new Dictionary<Guid, (DateTimeOffset DueAt, DutyKind Kind)>();
        foreach (var d in due)
            if (next.Count < ListReports.Limit) next.TryAdd(d.Id, (d.DueAt, d.Kind));

        // Then the open reports without an open service level (ix_reports_open_activity) and, on request, the closed ones,
        // most recently active first.
        var rest = next.Count >= ListReports.Limit ? [] : await db.Reports.AsNoTracking()
            .Where(r => r.Status == ReportStatus.Closed ? q.IncludeClosed : !r.Duties.Any(d => d.MetAt == null))
            .OrderByDescending(r => r.LastActivityAt).ThenByDescending(r => r.Id)
            .Select(r => r.Id).Take(ListReports.Limit - next.Count).ToListAsync(ct);

        return await Items(next.Keys.Concat(rest).ToList(), next, ct);
    }

    /// <summary>"m-42", "42", " M-000042 " → "M-000042", the form the database gives numbers; null for what is no report number.</summary>
    public static string? Normalise(string number)
    {
        var t = number.Trim().ToUpperInvariant();
        if (t.StartsWith("M-", StringComparison.Ordinal)) t = t[2..];
        return long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? $"M-{n:D6}" : null;
    }

    private async Task<List<ReportInboxItem>> Items(List<Guid> ids, Dictionary<Guid, (DateTimeOffset DueAt, DutyKind Kind)> next, CancellationToken ct)
    {
        var rows = await db.Reports.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new
            {
                r.Id, r.Number, r.Status, r.IncidentType, r.ReporterKind, r.Anonymous, r.SubmittedAt, r.LastActivityAt, r.AccusedRole,
                Consent = r.ConsentGivenAt != null,
            })
            .ToDictionaryAsync(r => r.Id, ct);
        var now = time.GetUtcNow();
        return ids.Where(rows.ContainsKey).Select(id =>
        {
            var r = rows[id];
            var n = next.TryGetValue(id, out var x) ? x : ((DateTimeOffset, DutyKind)?)null;
            return new ReportInboxItem(r.Id, r.Number, r.Status, r.IncidentType, r.ReporterKind, r.Anonymous, r.SubmittedAt, r.LastActivityAt,
                n?.Item1, n?.Item2, r.Consent, n is { } open && open.Item1 < now, Report.StaffDutyApplies(r.ReporterKind, r.IncidentType, r.AccusedRole));
        }).ToList();
    }
}
