using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The meldpunt's proof that it forwarded a report to the board, and when (docs/RECEIPTS.md): the same signed proof the
/// reporter can fetch, so that either can show when the board knew. Recorded in the audit trail as a read.
/// </summary>
public sealed record GetForwardingProof(Guid ReportId) : IQuery<Result<FilingProofView>>;

public sealed class GetForwardingProofHandler(CaseHandlingDbContext db, DataKeys keys, AuditTrail audit, CurrentUserAccessor current, ReceiptSigner signer)
    : IQueryHandler<GetForwardingProof, Result<FilingProofView>>
{
    public async ValueTask<Result<FilingProofView>> Handle(GetForwardingProof q, CancellationToken ct)
    {
        await keys.PreloadAsync([q.ReportId], ct);
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == q.ReportId, ct);
        if (report is null) return new NotFound("Report");
        if (report.ForwardedAt is not { } at) return new NotFound("The forwarding");
        await audit.RecordAsync(report.Id, "read:proof:forwarded", current.Get(), ct);
        return await FilingProofView.SignAsync(signer, FilingProofKind.Forwarded, report.Number, null, at, report.WhatHappened, ct);
    }
}
