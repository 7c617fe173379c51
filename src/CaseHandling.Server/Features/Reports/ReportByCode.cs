using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// Finds a report by its receipt code and by nothing else. A malformed code, a wrong code and a
/// non-existent code all take the same path (one indexed lookup of a SHA-256) and get the same answer.
/// </summary>
public static class ReportByCode
{
    public static readonly NotFound Unknown = new("Report");

    public static async Task<Result<Report>> Find(CaseHandlingDbContext db, string? code, bool track, CancellationToken ct)
    {
        var hash = ReceiptCode.Hash(code);
        var query = db.Reports.Include(r => r.Messages).AsSplitQuery();
        var report = await (track ? query : query.AsNoTracking()).FirstOrDefaultAsync(r => r.ReceiptHash == hash, ct);
        return report is null ? Unknown : report;
    }

    /// <summary>
    /// The audit trail's name for whoever holds a receipt code: the reporter stays anonymous there too (no IP, no
    /// user agent); the entry says that the report was read or changed with its code, and when.
    /// </summary>
    public const string Reporter = "reporter";
    public const string ReporterRole = "Reporter";

    /// <summary>Saves the reporter's change and its audit entry in one transaction (and the case's, when one was opened).</summary>
    public static async Task SaveAuditedAsync(CaseHandlingDbContext db, AuditTrail audit, Report report, string action, CancellationToken ct,
        Guid? openedCase = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(report.Id, action, Reporter, ReporterRole, ct);
        if (openedCase is { } c) await audit.RecordAsync(c, "change:Opened", Meldpunt.MeldpuntActor.System.UserId, "System", ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>What the reporter sees: the status, the dialogue, and the state of their consent.</summary>
public sealed record ReportStatusView(
    ReportStatus Status, DateTimeOffset SubmittedAt, bool StatutoryForwarding,
    ForwardItems ConsentItems, DateTimeOffset? ConsentGivenAt, ForwardItems ForwardedItems, DateTimeOffset? ForwardedAt,
    bool CanGiveConsent, bool CanWithdrawConsent, IReadOnlyList<DialogueMessage> Messages)
{
    public static ReportStatusView Of(Report r) => new(r.Status, r.SubmittedAt, r.StatutoryForwarding, r.ConsentItems, r.ConsentGivenAt,
        r.ForwardedItems, r.ForwardedAt,
        CanGiveConsent: r.Status is ReportStatus.Received or ReportStatus.InProgress,
        CanWithdrawConsent: r.ConsentGivenAt is not null && r.Status is ReportStatus.Received or ReportStatus.InProgress,
        r.Messages.OrderBy(m => m.Sequence).Select(m => new DialogueMessage(m.Sequence, m.Author, m.Kind, m.Text, m.At)).ToList());
}

/// <summary>One message as the reporter sees it: never the handler's identity.</summary>
public sealed record DialogueMessage(int Sequence, MessageAuthor Author, HandlerMessageKind? Kind, string Text, DateTimeOffset At);
