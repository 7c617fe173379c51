using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Encryption;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The first signing key (docs/RECEIPTS.md), made by the system when the first proof of filing is asked for. Two instances
/// that both find none each make one; the newer signs and both verify, so the race needs no lock.
/// </summary>
public sealed class EnsureReceiptSigningKeyHandler(CaseHandlingDbContext db, UnitOfWork work, ReceiptSigner signer)
    : ICommandHandler<EnsureReceiptSigningKey, Result>
{
    public async ValueTask<Result> Handle(EnsureReceiptSigningKey cmd, CancellationToken ct)
    {
        if (await db.ReceiptSigningKeys.AnyAsync(k => k.RetiredAt == null, ct)) return Result.Success();
        var key = signer.NewKey();
        work.Add(key);
        work.Audit(AuditSubjects.Keys, $"keys.receipt_signing_created:{key.Id}", Actors.Meldpunt.UserId, Actors.SystemRole);
        return await work.CommitAsync("The signing key", ct);
    }
}
