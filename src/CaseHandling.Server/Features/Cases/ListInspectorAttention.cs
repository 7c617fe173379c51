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

    /// <remarks>
    /// Both halves are read through the inspector's cases by state (index ix_cases_inspector_user_id_state_coverage),
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
        var late = await (
                from c in db.Cases.AsNoTracking()
                where c.InspectorUserId == me && (c.State == CaseState.AangifteFiled || c.State == CaseState.InspectorNotified)
                join d in db.Duties.AsNoTracking() on c.Id equals d.CaseId
                where d.Kind == DutyKind.NotifyInspectorOfAangifte
                      && ((d.MetAt == null && d.DueAt < now) || (d.MetAt != null && d.MetAt > d.DueAt))
                orderby d.DueAt descending
                select new AttentionItem(c.Id, c.Number, c.State, AttentionReason.AangifteNotificationLate, d.DueAt))
            .Take(Limit).ToListAsync(ct);
        return impossible.Concat(late).OrderByDescending(a => a.Since).Take(Limit).ToList();
    }
}
