using CaseHandling.Data;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Infrastructure.Localization;
using CaseHandling.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Matching;

/// <summary>
/// Tells the meldpunt team, through the outbox and in the same transaction, that a new match has appeared
/// (docs/MATCHING.md). The mail says only that, and links to the list: no report number, name or content, so that the
/// mailbox learns nothing the list does not show to the handler after sign-in.
/// </summary>
public sealed class MatchNotice(CaseHandlingDbContext db, UnitOfWork work, IOptions<NotificationOptions> options, Texts texts, TimeProvider time)
{
    public const string MailKind = "MatchNotice";

    /// <param name="fresh">The identifiers this change adds (not those the report had already).</param>
    public async Task QueueIfNewMatchAsync(Guid reportId, byte[] receiptHash, IReadOnlyList<AccusedIdentifier> fresh, CancellationToken ct)
    {
        if (fresh.Count == 0) return;
        var hashes = fresh.Select(i => i.Hash).ToList();
        var candidates = await (from i in db.AccusedIdentifiers.AsNoTracking()
                                join r in db.Reports.AsNoTracking() on i.ReportId equals r.Id
                                where hashes.Contains(i.Hash) && i.ReportId != reportId && r.ReceiptHash != receiptHash && r.ErasedAt == null
                                select new { i.Kind, i.KeyVersion, i.Hash }).ToListAsync(ct);
        if (!candidates.Any(c => fresh.Any(f => f.Kind == c.Kind && f.KeyVersion == c.KeyVersion && f.Hash.AsSpan().SequenceEqual(c.Hash)))) return;
        var now = time.GetUtcNow();
        work.Add(new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            CreatedAt = now,
            NextAttemptAt = now,
            ToAddress = options.Value.MeldpuntEmail,
            Subject = texts["matching.mail.subject"],
            Body = texts.Format("matching.mail.body", options.Value.PublicBaseUrl.TrimEnd('/') + "/portaal/meldingen/overeenkomsten"),
            Kind = MailKind,
            Reference = "",
        });
    }
}
