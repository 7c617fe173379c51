using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Evidence;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Evidence;
using CaseHandling.Server.Infrastructure.OpenApi;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The handler opens a report's file (docs/EVIDENCE.md): the cleaned copy by default; the original, byte for byte, only
/// by a deliberate step that gives a reason. Every opening is recorded (the audit trail, and the reason sealed), and
/// from the first one the reporter can no longer withdraw the file.
/// </summary>
public sealed record DownloadReportFile([property: FromRouteOrHeader] Guid ReportId, [property: FromRouteOrHeader] Guid FileId,
    [property: FromRouteOrHeader] bool Original, string? Reason) : ICommand<Result<FileDownload>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Original ? Check.RequiredText("reason", Reason, 500) : Check.MaxLength("reason", Reason, 500);
}

public sealed class DownloadReportFileHandler(CaseHandlingDbContext db, UnitOfWork work, EvidenceStore store, CurrentUserAccessor current, TimeProvider time)
    : ICommandHandler<DownloadReportFile, Result<FileDownload>>
{
    public async ValueTask<Result<FileDownload>> Handle(DownloadReportFile cmd, CancellationToken ct)
    {
        var report = await work.LoadAsync(db.Reports.Include(r => r.Files).Where(r => r.Id == cmd.ReportId), cmd.ReportId, ct);
        var file = report?.Files.FirstOrDefault(f => f.Id == cmd.FileId && f.WithdrawnAt is null);
        if (report is null || file is null || report.ErasedAt is not null) return new NotFound("File");
        var me = current.Get();
        var now = time.GetUtcNow();
        file.MarkRead(now);
        work.Insert(new ReportFileAccess(Guid.CreateVersion7(now), report.Id, file.Id, cmd.Original, me.UserId, cmd.Original ? cmd.Reason!.Trim() : null, now));
        work.Audit(report.Id, $"read:file:{file.Number}:{(cmd.Original ? "original" : "cleaned")}", me);
        var saved = await work.CommitAsync("The file", ct);
        if (!saved.IsSuccess) return saved.Error!;
        var type = cmd.Original ? file.Type : file.CleanedType;
        var copy = cmd.Original ? FileCopy.Original : FileCopy.Cleaned;
        return new FileDownload(FileSignature.MediaType(type), $"{report.Number}-{file.Number}{(cmd.Original ? "-original" : "")}{FileSignature.Extension(type)}",
            (output, token) => store.ReadAsync(report.Id, file.Id, copy, output, token));
    }
}
