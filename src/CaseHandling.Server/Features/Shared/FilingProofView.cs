using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Encryption;

namespace CaseHandling.Server.Features.Shared;

/// <summary>A proof of filing (docs/RECEIPTS.md): the text to keep (<see cref="Proof"/>), saved as <see cref="FileName"/>.</summary>
public sealed record FilingProofView(FilingProofKind Kind, string ReportNumber, int? Message, DateTimeOffset ReceivedAt, string FileName, string Proof,
    int? File = null)
{
    /// <summary>The proof of one of the reporter's files: its number and the SHA-256 of its original (docs/EVIDENCE.md).</summary>
    public static async Task<FilingProofView> SignFileAsync(ReceiptSigner signer, string reportNumber, int file, DateTimeOffset receivedAt, string sha256Hex,
        CancellationToken ct) =>
        new(FilingProofKind.File, reportNumber, null, receivedAt, $"bewijs-van-ontvangst-{reportNumber}-bestand-{file}.txt",
            await signer.SignHashAsync(FilingProofKind.File, reportNumber, null, file, receivedAt, sha256Hex, ct), file);

    /// <summary>The proof of what was received at <paramref name="receivedAt"/>, signed now; the reporter's and the meldpunt's are the same bytes.</summary>
    public static async Task<FilingProofView> SignAsync(ReceiptSigner signer, FilingProofKind kind, string reportNumber, int? message,
        DateTimeOffset receivedAt, string text, CancellationToken ct)
    {
        var suffix = kind switch
        {
            FilingProofKind.Message => $"-bericht-{message}",
            FilingProofKind.Forwarded => "-doorgestuurd",
            _ => "",
        };
        return new FilingProofView(kind, reportNumber, message, receivedAt, $"bewijs-van-ontvangst-{reportNumber}{suffix}.txt",
            await signer.SignAsync(kind, reportNumber, message, receivedAt, text, ct));
    }
}
