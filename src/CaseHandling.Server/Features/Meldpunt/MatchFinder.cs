using CaseHandling.Data;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>One report of a match, without its content: what the list shows.</summary>
public sealed record MatchSide(Guid Id, string Number, ReportStatus Status, DateTimeOffset SubmittedAt, string InstitutionName);

/// <summary>Two independent reports that name the same person, older first, and by which identifiers.</summary>
public sealed record MatchView(MatchSide First, MatchSide Second, IReadOnlyList<AccusedIdentifierKind> SharedBy)
{
    /// <summary>Open while either report is still being handled.</summary>
    public bool Open => First.Status != ReportStatus.Closed || Second.Status != ReportStatus.Closed;
}

/// <summary>
/// Finds matches (docs/MATCHING.md): two reports share a keyed hash of the same kind and key version, and they are
/// independent: different reports under different receipt codes (Report.ReceiptHash). The same reporter twice, or a
/// report and its own follow-up (the dialogue, the handler's corrections, all on the one report), is never a match.
/// Erased reports have no hashes left.
/// </summary>
public sealed class MatchFinder(CaseHandlingDbContext db, AuditTrail audit, CurrentUserAccessor current)
{
    /// <param name="reportId">Only the matches of this report; null for all.</param>
    public async Task<IReadOnlyList<MatchView>> FindAsync(Guid? reportId, CancellationToken ct)
    {
        var identifiers = reportId is { } only
            ? db.AccusedIdentifiers.Where(i => i.ReportId == only)
            : db.AccusedIdentifiers;
        var rows = await (
            from a in identifiers
            join b in db.AccusedIdentifiers on new { a.Kind, a.KeyVersion, a.Hash } equals new { b.Kind, b.KeyVersion, b.Hash }
            join ra in db.Reports on a.ReportId equals ra.Id
            join rb in db.Reports on b.ReportId equals rb.Id
            where a.ReportId != b.ReportId && ra.ReceiptHash != rb.ReceiptHash && ra.ErasedAt == null && rb.ErasedAt == null
            select new { A = a.ReportId, B = b.ReportId, a.Kind }).AsNoTracking().ToListAsync(ct);
        if (rows.Count == 0) return [];

        var pairs = rows.GroupBy(r => r.A.CompareTo(r.B) < 0 ? (r.A, r.B) : (r.B, r.A))
            .ToDictionary(g => g.Key, g => g.Select(r => r.Kind).Distinct().Order().ToList());
        var ids = pairs.Keys.SelectMany(p => new[] { p.Item1, p.Item2 }).Distinct().ToList();
        // Ids, numbers, states and dates only: no sealed column is read for a list.
        var sides = await (from r in db.Reports.AsNoTracking()
                           join i in db.Institutions.AsNoTracking() on r.InstitutionId equals i.Id
                           where ids.Contains(r.Id)
                           select new MatchSide(r.Id, r.Number, r.Status, r.SubmittedAt, i.Name)).ToDictionaryAsync(s => s.Id, ct);
        return pairs.Select(p =>
            {
                var (x, y) = (sides[p.Key.Item1], sides[p.Key.Item2]);
                return x.SubmittedAt <= y.SubmittedAt ? new MatchView(x, y, p.Value) : new MatchView(y, x, p.Value);
            })
            .OrderByDescending(m => m.Second.SubmittedAt).ThenBy(m => m.First.Number, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every showing of a match is in the audit trail of each report shown (docs/AUDIT.md).</summary>
    public async Task RecordShownAsync(IEnumerable<MatchView> matches, string action, CancellationToken ct)
    {
        var user = current.Get();
        foreach (var id in matches.SelectMany(m => new[] { m.First.Id, m.Second.Id }).Distinct().Order())
            await audit.RecordAsync(id, action, user, ct);
    }
}
