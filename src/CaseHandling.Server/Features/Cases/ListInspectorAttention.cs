using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>
/// What needs the vertrouwensinspecteur's attention on their own cases beyond the overleg itself: a board that
/// recorded why it could not inform the parties (lid 2 asks it to inform them before the aangifte; the reason is
/// shown to the inspector), and a board that notified the inspector of its aangifte late, or not yet while overdue
/// (step 6, lid 2). Most recent first.
/// </summary>
public sealed record ListInspectorAttention : IQuery<Result<IReadOnlyList<AttentionItem>>>;

public enum AttentionReason { InformingImpossible, AangifteNotificationLate }

public sealed record AttentionItem(Guid CaseId, string CaseNumber, CaseState State, AttentionReason Reason, DateTimeOffset Since);

public sealed class ListInspectorAttentionHandler(CaseHandlingDbContext db, CurrentUserAccessor current, TimeProvider time)
    : IQueryHandler<ListInspectorAttention, Result<IReadOnlyList<AttentionItem>>>
{
    public const int Limit = 100;

    /// <summary>How many of the inspector's cases in a state are checked for a late step 6 (an inspector has a handful).</summary>
    public const int Candidates = 500;

    /// <remarks>
    /// Both halves are read through the inspector's cases by state (index ix_cases_inspector_state_changed),
    /// never by scanning the reason or every step-6 duty: a reason matters while the case waits for its aangifte
    /// (state InformingImpossible); an aangifte notification is late while it is overdue (AangifteFiled) or was met
    /// late and the board has not yet closed the case (InspectorNotified). docs/PERFORMANCE.md.
    /// </remarks>
    public async ValueTask<Result<IReadOnlyList<AttentionItem>>> Handle(ListInspectorAttention q, CancellationToken ct)
    {
        var me = current.Get().UserId;
        var now = time.GetUtcNow();
        var impossible = await db.Cases.AsNoTracking()
            .Where(c => c.InspectorUserId == me && c.State == CaseState.InformingImpossible)
            .OrderByDescending(c => c.LastChangedAt).Take(Limit)
            .Select(c => new AttentionItem(c.Id, c.Number, c.State, AttentionReason.InformingImpossible, c.LastChangedAt))
            .ToListAsync(ct);
        // Case ids first, in index order (ix_cases_inspector_state_changed), then their step-6 duties by case id: a join
        // of all the inspector's cases with all step-6 duties made PostgreSQL hash every such duty (0.1 s at 1M cases).
        // Waiting for the notification: the oldest aangifte first, the most overdue. Notified late: the most recent first.
        var late = new List<AttentionItem>();
        foreach (var (state, oldestFirst) in new[] { (CaseState.AangifteFiled, true), (CaseState.InspectorNotified, false) })
        {
            var cases = db.Cases.AsNoTracking().Where(c => c.InspectorUserId == me && c.State == state);
            var candidates = await (oldestFirst ? cases.OrderBy(c => c.LastChangedAt) : cases.OrderByDescending(c => c.LastChangedAt))
                .Take(Candidates).Select(c => new { c.Id, c.Number, c.LastChangedAt }).ToListAsync(ct);
            var ids = candidates.Select(c => c.Id).ToList();
            var lateIds = (await db.Duties.AsNoTracking()
                .Where(d => ids.Contains(d.CaseId!.Value) && d.Kind == DutyKind.NotifyInspectorOfAangifte
                            && ((d.MetAt == null && d.DueAt < now) || (d.MetAt != null && d.MetAt > d.DueAt)))
                .Select(d => d.CaseId!.Value).ToListAsync(ct)).ToHashSet();
            late.AddRange(candidates.Where(c => lateIds.Contains(c.Id)).Take(Limit)
                .Select(c => new AttentionItem(c.Id, c.Number, state, AttentionReason.AangifteNotificationLate, c.LastChangedAt)));
        }
        return impossible.Concat(late).OrderByDescending(a => a.Since).Take(Limit).ToList();
    }
}
