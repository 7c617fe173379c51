using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// Finds a report by its receipt code and by nothing else. A malformed code, a wrong code and a
/// non-existent code all take the same path (one indexed lookup of a SHA-256) and get the same answer.
/// The id comes first, so that the report's data key is fetched before its content is read.
/// </summary>
public static class ReportByCode
{
    public static readonly NotFound Unknown = new("Report");

    /// <summary>The report to change, tracked, in the unit of work.</summary>
    public static async Task<Result<Report>> ForChange(CaseHandlingDbContext db, UnitOfWork work, string? code, CancellationToken ct)
    {
        var id = await IdOf(db, code, ct);
        if (id is not { } subject) return Unknown;
        var report = await work.LoadAsync(db.Reports.Include(r => r.Messages).Include(r => r.AccountVersions).Include(r => r.Files).AsSplitQuery().Where(r => r.Id == subject), subject, ct);
        return report is null ? Unknown : report;
    }

    /// <summary>The report to read.</summary>
    public static async Task<Result<Report>> ForReading(CaseHandlingDbContext db, DataKeys keys, string? code, CancellationToken ct)
    {
        var id = await IdOf(db, code, ct);
        if (id is not { } subject) return Unknown;
        await keys.PreloadAsync([subject], ct);
        var report = await db.Reports.AsNoTracking().Include(r => r.Messages).Include(r => r.AccountVersions).Include(r => r.Files).AsSplitQuery().FirstOrDefaultAsync(r => r.Id == subject, ct);
        return report is null ? Unknown : report;
    }

    private static async Task<Guid?> IdOf(CaseHandlingDbContext db, string? code, CancellationToken ct)
    {
        var hash = ReceiptCode.Hash(code);
        return await db.Reports.AsNoTracking().Where(r => r.ReceiptHash == hash).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
    }
}

/// <summary>What the reporter sees: the status, the dialogue, and the state of their consent.</summary>
public sealed record ReportStatusView(
    ReportStatus Status, DateTimeOffset SubmittedAt, bool StatutoryForwarding,
    ForwardItems ConsentItems, DateTimeOffset? ConsentGivenAt, ForwardItems ForwardedItems, DateTimeOffset? ForwardedAt,
    bool CanGiveConsent, bool CanWithdrawConsent, IReadOnlyList<DialogueMessage> Messages, bool NoticeEmailSet = false,
    bool CanRate = false, DateTimeOffset? RatedAt = null, OralAccountView? OralAccount = null, IReadOnlyList<FileView>? Files = null)
{
    public static ReportStatusView Of(Report r) => new(r.Status, r.SubmittedAt, r.StatutoryForwarding, r.ConsentItems, r.ConsentGivenAt,
        r.ForwardedItems, r.ForwardedAt,
        CanGiveConsent: r.Status is ReportStatus.Received or ReportStatus.InProgress,
        CanWithdrawConsent: r.ConsentGivenAt is not null && r.Status is ReportStatus.Received or ReportStatus.InProgress,
        r.Messages.OrderBy(m => m.Sequence).Select(m => new DialogueMessage(m.Sequence, m.Author, m.Kind, m.Text, m.At)).ToList(),
        // Whether an address is there, never the address: it is not shown back, not even to whoever holds the code.
        NoticeEmailSet: r.NoticeEmail is not null, CanRate: r.CanRate, RatedAt: r.RatedAt, OralAccount: OralAccountView.Of(r),
        Files: [.. r.Files.OrderBy(f => f.Number).Select(FileView.Of)]);
}

/// <summary>
/// A file as its sender sees it (docs/EVIDENCE.md): its type and size, the SHA-256 of what was sent (to prove it later),
/// what the cleaned copy no longer holds, whether cleaning failed, and whether it can still be withdrawn.
/// </summary>
public sealed record FileView(int Number, Domain.Evidence.EvidenceType Type, long Size, string Sha256, IReadOnlyList<Domain.Evidence.RemovedMetadata> Removed,
    bool CleaningFailed, DateTimeOffset AddedAt, DateTimeOffset? WithdrawnAt, bool CanWithdraw)
{
    public static FileView Of(ReportFile f) => new(f.Number, f.Type, f.Size, Convert.ToHexStringLower(f.Sha256),
        Domain.Evidence.RemovedMetadataItems.Items(f.Removed),
        f.CleaningFailed, f.AddedAt, f.WithdrawnAt, CanWithdraw: f.WithdrawnAt is null && f.FirstReadAt is null);
}

/// <summary>
/// An oral report's written account as the reporter reads it (directive 2019/1937 art. 18): every version, which one
/// counts, and whether they approved it. Null for a report filed online.
/// </summary>
public sealed record OralAccountView(ReportChannel Channel, bool RecordingExists, IReadOnlyList<AccountVersionView> Versions,
    int? ApprovedVersion, DateTimeOffset? ApprovedAt, bool CanCorrect)
{
    public static OralAccountView? Of(Report r) => !r.IsOral ? null : new(r.Channel, r.RecordingExists,
        r.AccountVersions.OrderBy(v => v.Number).Select(v => new AccountVersionView(v.Number, v.Author, v.Text, v.At)).ToList(),
        r.AccountApprovedVersion, r.AccountApprovedAt, CanCorrect: r.AccountApprovedAt is null && r.Status != ReportStatus.Closed);
}

/// <summary>One version of the account: never the handler's identity.</summary>
public sealed record AccountVersionView(int Number, MessageAuthor Author, string Text, DateTimeOffset At);

/// <summary>One message as the reporter sees it: never the handler's identity.</summary>
public sealed record DialogueMessage(int Sequence, MessageAuthor Author, HandlerMessageKind? Kind, string Text, DateTimeOffset At);
