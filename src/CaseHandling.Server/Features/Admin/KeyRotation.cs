using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Data;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>Where key rotation stands: the active key-encryption key and how many live data keys each one wraps.</summary>
/// <param name="SigningKeysSealed">Data Protection keys (they sign sign-in cookies and tokens) sealed again under the active key-encryption key.</param>
/// <param name="ReceiptKeysSealed">Keys that sign proofs of filing (docs/RECEIPTS.md) sealed again under the active key-encryption key.</param>
public sealed record KeyStatusView(string ActiveKeyId, IReadOnlyDictionary<string, long> LiveDataKeysByKek, int Rewrapped, int SubjectsSealed = 0,
    int SigningKeysSealed = 0, int ReceiptKeysSealed = 0);

/// <summary>Shows which key-encryption keys still wrap data keys (an old one may go when it wraps none).</summary>
public sealed record GetKeyStatus : IQuery<Result<KeyStatusView>>;

/// <summary>
/// Rotation, step 2 (docs/ENCRYPTION.md): after the new key-encryption key was made active, re-wrap every data key
/// under it while the system keeps serving. Content is not re-encrypted; only the wrapped keys change. It also
/// seals any content still in plaintext from before encryption at rest (an upgrade runs it once).
/// </summary>
public sealed record RewrapDataKeys : ICommand<Result<KeyStatusView>>;

public sealed class GetKeyStatusHandler(KekRotation keys, KeyRing ring) : IQueryHandler<GetKeyStatus, Result<KeyStatusView>>
{
    public async ValueTask<Result<KeyStatusView>> Handle(GetKeyStatus q, CancellationToken ct) =>
        new KeyStatusView(ring.Current().ActiveId, await keys.CountByKekAsync(ct), 0);
}

public sealed class RewrapDataKeysHandler(KekRotation keys, KeyRing keyRing, PlaintextSealer sealer, CaseHandlingDbContext db, UnitOfWork work,
    CurrentUserAccessor current, ReceiptSigner receiptSigner) : ICommandHandler<RewrapDataKeys, Result<KeyStatusView>>
{
    public async ValueTask<Result<KeyStatusView>> Handle(RewrapDataKeys cmd, CancellationToken ct)
    {
        var me = current.Get();
        var rewrapped = await keys.RewrapAsync(ct);
        var sealedSubjects = await sealer.SealAsync(me, ct);
        // The keys that sign cookies and tokens: sealed under the active KEK (and any written in the clear before, sealed now).
        var ring = keyRing.Current();
        var resealed = 0;
        foreach (var key in await db.DataProtectionKeys.ToListAsync(ct))
            if (key.Xml is { } xml && DataProtectionKeySealing.Reseal(ring, xml) is { } sealedXml)
            {
                key.Xml = sealedXml;
                resealed++;
            }
        var receiptKeys = 0;
        foreach (var key in await db.ReceiptSigningKeys.ToListAsync(ct))
            if (receiptSigner.Reseal(key)) receiptKeys++;
        work.Audit(AuditSubjects.Keys, $"keys.rewrapped:{ring.ActiveId}", me);
        var saved = await work.CommitAsync("The keys", ct);
        if (!saved.IsSuccess) return saved.Error!;
        return new KeyStatusView(ring.ActiveId, await keys.CountByKekAsync(ct), rewrapped, sealedSubjects, resealed, receiptKeys);
    }
}
