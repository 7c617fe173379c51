using CaseHandling.Domain.Reports;

namespace CaseHandling.Server.Features.Shared;

/// <summary>A proof of filing (docs/RECEIPTS.md): the text to keep (<see cref="Proof"/>), saved as <see cref="FileName"/>.</summary>
public sealed record FilingProofView(FilingProofKind Kind, string ReportNumber, int? Message, DateTimeOffset ReceivedAt, string FileName, string Proof)
{
    public static string FileNameOf(string reportNumber, string suffix = "") => $"bewijs-van-ontvangst-{reportNumber}{suffix}.txt";
}
