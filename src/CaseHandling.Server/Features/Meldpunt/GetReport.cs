using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>One report as the handler sees it: everything the reporter gave, the dialogue, the service levels, the consent.</summary>
public sealed record GetReport(Guid ReportId) : IQuery<Result<ReportDetail>>;

public sealed record ReportDetail(
    Guid Id, string Number, ReportStatus Status, ReporterKind ReporterKind, bool Anonymous,
    string? ContactName, string? ContactEmail, string? ContactPhone,
    IncidentType IncidentType, string WhatHappened, string WhenHappened, Guid InstitutionId, string InstitutionName, string? Department,
    AccusedRole AccusedRole, VictimWho VictimWho, VictimAgeAnswer VictimAge, Destination Destination, bool StatutoryForwarding,
    DateTimeOffset SubmittedAt, ForwardItems ConsentItems, DateTimeOffset? ConsentGivenAt, ForwardItems ForwardedItems,
    DateTimeOffset? ForwardedAt, string? ForwardedCaseNumber, uint Version, DateTimeOffset? ClosedAt, bool LegalHold, DateTimeOffset? ErasedAt,
    IReadOnlyList<HandlerDialogueMessage> Messages, IReadOnlyList<DutyView> Duties,
    DateTimeOffset? ConsentWithdrawnAt = null, ForwardFacts? ForwardDefaults = null,
    // How it came in, and the language the reporter used (the handler may answer in it; nothing is translated).
    ReportChannel Channel = ReportChannel.Online, string Language = ReporterLanguage.Dutch,
    // An oral report's written account, every version, and the reporter's approval (directive 2019/1937 art. 18).
    bool RecordingExists = false, IReadOnlyList<HandlerAccountVersion>? AccountVersions = null, int? AccountApprovedVersion = null,
    DateTimeOffset? AccountApprovedAt = null, IReadOnlyList<HandlerFileView>? Files = null);

/// <summary>A report's file as the handler sees it (docs/EVIDENCE.md); withdrawn ones are listed as such, not opened.</summary>
public sealed record HandlerFileView(Guid Id, int Number, Domain.Evidence.EvidenceType Type, long Size, string Sha256, Domain.Evidence.EvidenceType CleanedType,
    long CleanedSize, IReadOnlyList<Domain.Evidence.RemovedMetadata> Removed, bool CleaningFailed, DateTimeOffset AddedAt, DateTimeOffset? WithdrawnAt,
    DateTimeOffset? FirstReadAt);

public sealed record HandlerAccountVersion(int Number, MessageAuthor Author, string? HandlerUserId, string Text, DateTimeOffset At);

public sealed record HandlerDialogueMessage(int Sequence, MessageAuthor Author, HandlerMessageKind? Kind, string? HandlerUserId, string Text, DateTimeOffset At);

public sealed class GetReportHandler(CaseHandlingDbContext db, CurrentUserAccessor current, AuditTrail audit, TimeProvider time,
    Infrastructure.Encryption.DataKeys keys) : IQueryHandler<GetReport, Result<ReportDetail>>
{
    public async ValueTask<Result<ReportDetail>> Handle(GetReport q, CancellationToken ct)
    {
        await keys.PreloadAsync([q.ReportId], ct);
        var r = await db.Reports.AsNoTracking().Include(x => x.Messages).Include(x => x.Duties).Include(x => x.AccountVersions).Include(x => x.Files).AsSplitQuery()
            .FirstOrDefaultAsync(x => x.Id == q.ReportId, ct);
        if (r is null) return new NotFound("Report");
        await audit.RecordAsync(r.Id, "read", current.Get(), ct);
        var institution = await db.Institutions.AsNoTracking().Where(i => i.Id == r.InstitutionId).Select(i => i.Name).FirstAsync(ct);
        var caseNumber = r.ForwardedCaseId is { } id ? await db.Cases.AsNoTracking().Where(c => c.Id == id).Select(c => c.Number).FirstOrDefaultAsync(ct) : null;
        var now = time.GetUtcNow();
        return new ReportDetail(r.Id, r.Number, r.Status, r.ReporterKind, r.Anonymous, r.ContactName, r.ContactEmail, r.ContactPhone,
            r.IncidentType, r.WhatHappened, r.WhenHappened, r.InstitutionId, institution, r.Department, r.AccusedRole, r.VictimWho, r.VictimAge,
            r.Destination, r.StatutoryForwarding, r.SubmittedAt, r.ConsentItems, r.ConsentGivenAt, r.ForwardedItems, r.ForwardedAt, caseNumber,
            r.Version, r.ClosedAt, r.LegalHold, r.ErasedAt,
            r.Messages.OrderBy(m => m.Sequence).Select(m => new HandlerDialogueMessage(m.Sequence, m.Author, m.Kind, m.HandlerUserId, m.Text, m.At)).ToList(),
            r.Duties.OrderBy(d => d.OpenedAt).Select(d => DutyView.Of(d, now)).ToList(),
            r.ConsentWithdrawnAt, Forwarding.DefaultFacts(r), r.Channel, r.Language, r.RecordingExists,
            r.AccountVersions.OrderBy(v => v.Number).Select(v => new HandlerAccountVersion(v.Number, v.Author, v.HandlerUserId, v.Text, v.At)).ToList(),
            r.AccountApprovedVersion, r.AccountApprovedAt,
            [.. r.Files.OrderBy(f => f.Number).Select(f => new HandlerFileView(f.Id, f.Number, f.Type, f.Size, Convert.ToHexStringLower(f.Sha256), f.CleanedType,
                f.CleanedSize, Domain.Evidence.RemovedMetadataItems.Items(f.Removed),
                f.CleaningFailed, f.AddedAt, f.WithdrawnAt, f.FirstReadAt))]);
    }
}
