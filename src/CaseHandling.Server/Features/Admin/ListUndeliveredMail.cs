using CaseHandling.Data;
using CaseHandling.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// A mail the outbox gave up on: what kind, about which case or report number, to whom, how often it was tried and why
/// it failed (the kind of error only). Never the subject or the body.
/// </summary>
public sealed record UndeliveredMailView(Guid Id, string Kind, string Reference, string ToAddress, DateTimeOffset CreatedAt, int Attempts,
    DateTimeOffset FailedAt, string? LastError);

/// <summary>
/// The mail that could not be delivered (refused for good by the mail server, or every attempt failed), newest first: the
/// administrator sees it and can tell the board or the inspector another way, instead of a reminder or escalation
/// silently not arriving (docs/RELIABILITY.md). At most 500.
/// </summary>
public sealed record ListUndeliveredMail : IQuery<Result<IReadOnlyList<UndeliveredMailView>>>;

public sealed class ListUndeliveredMailHandler(CaseHandlingDbContext db) : IQueryHandler<ListUndeliveredMail, Result<IReadOnlyList<UndeliveredMailView>>>
{
    public async ValueTask<Result<IReadOnlyList<UndeliveredMailView>>> Handle(ListUndeliveredMail q, CancellationToken ct) =>
        await db.Outbox.AsNoTracking().Where(m => m.FailedAt != null).OrderByDescending(m => m.FailedAt).Take(500)
            .Select(m => new UndeliveredMailView(m.Id, m.Kind, m.Reference, m.ToAddress, m.CreatedAt, m.Attempts, m.FailedAt!.Value, m.LastError))
            .ToListAsync(ct);
}
