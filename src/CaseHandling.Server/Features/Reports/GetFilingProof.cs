using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The reporter's proof of what they filed and when, by receipt code: of the report (<c>kind</c> omitted or
/// <c>Report</c>), of one of their messages (<c>message</c> = its number in the dialogue), or of the board's receipt of
/// the report after forwarding (<c>Forwarded</c>). Signed by the meldpunt (docs/RECEIPTS.md).
/// </summary>
public sealed record GetFilingProof(string? ReceiptCode, FilingProofKind? Kind = null, int? Message = null, int? File = null)
    : IQuery<Result<FilingProofView>>, IValidatable
{
    /// <summary>The kind asked for: a message or a file when one is named, else the report.</summary>
    public FilingProofKind KindAsked() => Kind ?? (Message is not null ? FilingProofKind.Message : File is not null ? FilingProofKind.File : FilingProofKind.Report);

    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64)
            .Concat(KindAsked() == FilingProofKind.Message && Message is not > 0
                ? [("message", "Name the message by its number in the dialogue.")] : [])
            .Concat(Message is not null && KindAsked() is not FilingProofKind.Message
                ? [("message", "A message number goes with the kind Message only.")] : [])
            .Concat(KindAsked() == FilingProofKind.File && File is not > 0 ? [("file", "Name the file by its number.")] : [])
            .Concat(File is not null && KindAsked() is not FilingProofKind.File ? [("file", "A file number goes with the kind File only.")] : []);
}

public sealed class GetFilingProofHandler(CaseHandlingDbContext db, DataKeys keys, AuditTrail audit, ReceiptSigner signer)
    : IQueryHandler<GetFilingProof, Result<FilingProofView>>
{
    public async ValueTask<Result<FilingProofView>> Handle(GetFilingProof q, CancellationToken ct)
    {
        var found = await ReportByCode.ForReading(db, keys, q.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var report = found.Value!;
        var kind = q.KindAsked();
        if (kind == FilingProofKind.File)
        {
            // The original as it arrived, byte for byte: its SHA-256 was taken then. A withdrawn file still has its proof.
            if (report.Files.FirstOrDefault(f => f.Number == q.File) is not { } file) return new NotFound("Your file");
            await audit.RecordAsync(report.Id, "read:proof:file", Actors.Reporter, Actors.ReporterRole, ct);
            return await FilingProofView.SignFileAsync(signer, report.Number, file.Number, file.AddedAt, Convert.ToHexStringLower(file.Sha256), ct);
        }
        (DateTimeOffset At, string Text)? what = kind switch
        {
            FilingProofKind.Report => (report.SubmittedAt, report.WhatHappened),
            FilingProofKind.Message => report.Messages.FirstOrDefault(m => m.Sequence == q.Message && m.Author == MessageAuthor.Reporter) is { } m
                ? (m.At, m.Text) : null,
            FilingProofKind.Forwarded => report.ForwardedAt is { } at ? (at, report.WhatHappened) : null,
            _ => null,
        };
        if (what is not var (receivedAt, text))
            return new NotFound(kind == FilingProofKind.Message ? "Your message" : "The forwarding");
        await audit.RecordAsync(report.Id, $"read:proof:{kind.ToString().ToLowerInvariant()}", Actors.Reporter, Actors.ReporterRole, ct);
        return await FilingProofView.SignAsync(signer, kind, report.Number, kind == FilingProofKind.Message ? q.Message : null, receivedAt, text, ct);
    }
}
