using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// A new key signs proofs of filing from now on (docs/RECEIPTS.md). The keys before it are retired, not removed: every
/// proof they signed still verifies, and their public halves stay published.
/// </summary>
public sealed record RotateReceiptSigningKey : ICommand<Result<IReadOnlyList<ReceiptKeyView>>>;

public sealed class RotateReceiptSigningKeyHandler(CaseHandlingDbContext db, UnitOfWork work, ReceiptSigner signer, CurrentUserAccessor current, TimeProvider time)
    : ICommandHandler<RotateReceiptSigningKey, Result<IReadOnlyList<ReceiptKeyView>>>
{
    public async ValueTask<Result<IReadOnlyList<ReceiptKeyView>>> Handle(RotateReceiptSigningKey cmd, CancellationToken ct)
    {
        var me = current.Get();
        var now = time.GetUtcNow();
        foreach (var old in await db.ReceiptSigningKeys.Where(k => k.RetiredAt == null).ToListAsync(ct)) old.RetiredAt = now;
        var key = signer.NewKey();
        work.Add(key);
        work.Audit(AuditSubjects.Keys, $"keys.receipt_signing_rotated:{key.Id}", me);
        var saved = await work.CommitAsync("The signing key", ct);
        if (!saved.IsSuccess) return saved.Error!;
        await signer.Forget();
        return Result<IReadOnlyList<ReceiptKeyView>>.Success(await signer.KeysAsync(ct));
    }
}
