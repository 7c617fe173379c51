using System.IO.Compression;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Evidence;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Evidence;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The reporter attaches a file to their report, with the code (docs/EVIDENCE.md). Its type is read from its content;
/// the original is kept byte for byte with its SHA-256, a cleaned copy without what could identify its maker, both
/// sealed under the report's key. Everything in one transaction: a refused, cut-off or failed upload stores nothing.
/// </summary>
public sealed record AttachReportFile(string? ReceiptCode, Stream? Content) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64).Concat(Content is null ? [("file", "Required.")] : []);
}

public sealed class AttachReportFileHandler(CaseHandlingDbContext db, UnitOfWork work, EvidenceStore store, CleaningGate gate,
    IOptions<EvidenceOptions> options, TimeProvider time) : ICommandHandler<AttachReportFile, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(AttachReportFile cmd, CancellationToken ct)
    {
        var limits = options.Value.Limits;
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var report = found.Value!;
        if (report.Status == ReportStatus.Closed) return new StepNotAllowed(report.Status.ToString(), "AttachFile", []);
        if (report.Files.Count(f => f.WithdrawnAt is null) >= limits.MaxFiles)
            return ValidationFailed.Single("file", $"At most {limits.MaxFiles} files per report.");

        MemoryStream original;
        try
        {
            original = await EvidenceStore.BufferAsync(cmd.Content!, limits.MaxFileBytes, ct);
        }
        catch (FileTooLargeException e)
        {
            return ValidationFailed.Single("file", e.Message);
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            // Cut off halfway, or past the server's own limit on a request: nothing was stored.
            return ValidationFailed.Single("file", e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? new FileTooLargeException(limits.MaxFileBytes).Message : "The upload did not arrive whole. Please send the file again.");
        }
        using var _ = original;
        if (original.Length == 0) return ValidationFailed.Single("file", "The file is empty.");
        var bytes = original.GetBuffer().AsMemory(0, (int)original.Length);
        var type = FileSignature.Detect(bytes.Span[..Math.Min(bytes.Length, FileSignature.HeadLength)], () => ZipEntries(original), () => FileSignature.IsText(bytes.Span));
        if (type is null) return ValidationFailed.Single("file", Refused);

        CleanedFile cleaned;
        try
        {
            cleaned = await gate.RunAsync(() => MetadataCleaner.Clean(type.Value, bytes.ToArray(), limits), ct);
        }
        catch (FileRefusedException e)
        {
            return ValidationFailed.Single("file", e.Message);
        }

        var now = time.GetUtcNow();
        var fileId = Guid.CreateVersion7(now);
        var result = await work.AtomicallyAsync("The report", async () =>
        {
            original.Position = 0;
            var (size, sha256) = await store.WriteAsync(report.Id, fileId, FileCopy.Original, original, limits.MaxFileBytes, ct);
            await store.WriteAsync(report.Id, fileId, FileCopy.Cleaned, new MemoryStream(cleaned.Content, writable: false), long.MaxValue, ct);
            var file = new ReportFile(fileId, report.Id, type.Value, size, sha256, cleaned.Content.Length, cleaned.Type, cleaned.Removed, cleaned.Failed, now);
            var attached = report.AttachFile(file, limits, now);
            if (!attached.IsSuccess) return attached;
            work.Audit(report.Id, $"change:FileAttached:{file.Number}", Actors.Reporter, Actors.ReporterRole);
            return Result.Success();
        }, ct);
        return result.IsSuccess ? ReportStatusView.Of(report) : result.Error!;
    }

    public static readonly string Refused = "This kind of file is not taken. Accepted: " + string.Join(", ", FileSignature.Accepted) + ".";

    /// <summary>The part names of a ZIP package, or none when it is not a readable ZIP.</summary>
    private static IReadOnlyCollection<string> ZipEntries(Stream content)
    {
        try
        {
            content.Position = 0;
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            // A package of thousands of parts is not a document someone wrote: refused as an archive would be.
            return zip.Entries.Count > 10_000 ? [] : zip.Entries.Select(e => e.FullName).ToList();
        }
        catch (InvalidDataException)
        {
            return [];
        }
        finally
        {
            content.Position = 0;
        }
    }
}
