using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Encryption;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// Anyone checks a proof of filing: whether the meldpunt signed it, and what and when it attests. It reads no report: a
/// forged proof and one for a report that does not exist get the same answer, and a valid one reveals only what it
/// says itself.
/// </summary>
public sealed record VerifyFilingProof(string? Proof) : IQuery<Result<ProofVerification>>, IValidatable
{
    public const int MaxLength = 4096;

    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("proof", Proof, MaxLength);
}

/// <summary>Valid or not; for a valid proof, what it attests (its kind, report, message and time) and the key that signed it.</summary>
public sealed record ProofVerification(bool Valid, FilingProofKind? Kind = null, string? ReportNumber = null, int? Message = null,
    DateTimeOffset? ReceivedAt = null, string? KeyId = null, int? File = null);

public sealed class VerifyFilingProofHandler(ReceiptSigner signer) : IQueryHandler<VerifyFilingProof, Result<ProofVerification>>
{
    public async ValueTask<Result<ProofVerification>> Handle(VerifyFilingProof q, CancellationToken ct) =>
        await signer.VerifyAsync(q.Proof, ct) is { } proof
            ? new ProofVerification(true, proof.Kind, proof.ReportNumber, proof.Message, proof.ReceivedAt, proof.KeyId, proof.File)
            : new ProofVerification(false);
}
