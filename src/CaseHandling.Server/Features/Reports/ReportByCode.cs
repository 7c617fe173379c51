using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
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
