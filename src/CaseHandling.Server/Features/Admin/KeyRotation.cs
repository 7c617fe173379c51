using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using Mediator;

namespace CaseHandling.Server.Features.Admin;

/// <summary>Where key rotation stands: the active key-encryption key and how many live data keys each one wraps.</summary>
public sealed record KeyStatusView(string ActiveKeyId, IReadOnlyDictionary<string, long> LiveDataKeysByKek, int Rewrapped, int SubjectsSealed = 0);

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

public sealed class RewrapDataKeysHandler(KekRotation keys, KeyRing ring, PlaintextSealer sealer) : ICommandHandler<RewrapDataKeys, Result<KeyStatusView>>
{
    public async ValueTask<Result<KeyStatusView>> Handle(RewrapDataKeys cmd, CancellationToken ct)
    {
        var rewrapped = await keys.RewrapAsync(ct);
        var sealedSubjects = await sealer.SealAsync(ct);
        return new KeyStatusView(ring.Current().ActiveId, await keys.CountByKekAsync(ct), rewrapped, sealedSubjects);
    }
}
