using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Encryption;

namespace CaseHandling.Server.Features.Shared;

/// <summary>A proof of filing (docs/RECEIPTS.md): the text to keep (<see cref="Proof"/>), saved as <see cref="FileName"/>.</summary>
public sealed record FilingProofView(FilingProofKind Kind, string ReportNumber, int? Message, DateTimeOffset ReceivedAt, string FileName, string Proof)
{
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
