using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>Who has seen or changed a case, when, in which role: for those who may read the case.</summary>
/// <param name="Latest">Only the most recent this many, newest first (a page); null: the whole log in order (the API).</param>
public sealed record GetAccessLog(Guid CaseId, int? Latest = null) : IQuery<Result<IReadOnlyList<AccessLogEntry>>>;

public sealed record AccessLogEntry(int Sequence, DateTimeOffset At, string UserId, string Name, string Role, string Action);

public sealed class GetAccessLogHandler(CaseStore store, CaseHandlingDbContext db, CurrentUserAccessor current)
    : IQueryHandler<GetAccessLog, Result<IReadOnlyList<AccessLogEntry>>>
{
    public async ValueTask<Result<IReadOnlyList<AccessLogEntry>>> Handle(GetAccessLog q, CancellationToken ct)
    {
        if (!await store.Visible(current.Get()).AnyAsync(c => c.Id == q.CaseId, ct)) return new NotFound("Case");
        var log = db.Audit.AsNoTracking().Where(a => a.SubjectId == q.CaseId);
        // Every view adds an entry: a page reads the latest from the (subject_id, sequence) index, not the whole chain.
        var entries = q.Latest is { } latest
            ? await log.OrderByDescending(a => a.Sequence).Take(Math.Clamp(latest, 1, 500)).ToListAsync(ct)
            : await log.OrderBy(a => a.Sequence).ToListAsync(ct);
        var ids = entries.Select(e => e.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return entries.Select(e => new AccessLogEntry(e.Sequence, e.At, e.UserId, names.GetValueOrDefault(e.UserId, ""), e.Role, e.Action)).ToList();
    }
}
