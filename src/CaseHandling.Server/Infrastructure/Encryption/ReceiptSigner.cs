using CaseHandling.Data;
using CaseHandling.Domain.Reports;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NSec.Cryptography;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Makes the first signing key when none is in force (its handler is a use case, which records the change in the audit
/// trail); sent by <see cref="ReceiptSigner"/> on first use.
/// </summary>
public sealed record EnsureReceiptSigningKey : ICommand<CaseHandling.Domain.Common.Result>;

/// <summary>A published key that proofs of filing verify against (docs/RECEIPTS.md).</summary>
/// <param name="PublicKey">The raw 32-byte Ed25519 public key, base64.</param>
/// <param name="PublicKeyPem">The same key as a PEM SubjectPublicKeyInfo, for <c>openssl pkeyutl -verify</c>.</param>
public sealed record ReceiptKeyView(string KeyId, string Algorithm, string PublicKey, string PublicKeyPem, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>
/// Signs and verifies proofs of filing with the meldpunt's Ed25519 keys. The keys are read from the case database and
/// kept in memory for a minute, so a rotation by one instance reaches the others within it; the private key is opened
/// with the key-encryption key only here. Verification is arithmetic on the proof and the published keys alone: it
/// reads no report, so it says nothing about whether a report exists.
/// </summary>
public sealed class ReceiptSigner(IServiceScopeFactory scopes, KeyRing ring, TimeProvider time)
{
    public static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryUnknown = TimeSpan.FromSeconds(5);

    private sealed record Loaded(DateTimeOffset At, IReadOnlyDictionary<string, PublicKey> Public, IReadOnlyList<ReceiptKeyView> Views, string? ActiveId, Key? Active);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Loaded? _loaded;

    /// <summary>The context that binds a sealed private key to its purpose, its id and its KEK.</summary>
    internal static string Context(string keyId, string kekId) => $"receipt-signing-key/{keyId}/{kekId}";

    /// <summary>A new key pair, its private half sealed under the active KEK.</summary>
    internal ReceiptSigningKey NewKey()
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var snapshot = ring.Current();
        var now = time.GetUtcNow();
        var id = $"rk-{now:yyyyMMdd}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
        return new ReceiptSigningKey
        {
            Id = id,
            PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey),
            SealedPrivateKey = Convert.ToBase64String(ContentCipher.Encrypt(snapshot.Active, key.Export(KeyBlobFormat.RawPrivateKey), Context(id, snapshot.ActiveId))),
            KekId = snapshot.ActiveId,
            CreatedAt = now,
        };
    }

    /// <summary>The key sealed again under the active KEK; false when it already was.</summary>
    internal bool Reseal(ReceiptSigningKey key)
    {
        var snapshot = ring.Current();
        if (key.KekId == snapshot.ActiveId) return false;
        var plain = ContentCipher.Decrypt(snapshot.Get(key.KekId), Convert.FromBase64String(key.SealedPrivateKey), Context(key.Id, key.KekId));
        key.SealedPrivateKey = Convert.ToBase64String(ContentCipher.Encrypt(snapshot.Active, plain, Context(key.Id, snapshot.ActiveId)));
        key.KekId = snapshot.ActiveId;
        return true;
    }

    /// <summary>The proof, signed with the key in force (made on first use: <see cref="EnsureReceiptSigningKey"/>).</summary>
    public Task<string> SignAsync(FilingProofKind kind, string reportNumber, int? message, DateTimeOffset receivedAt, string text, CancellationToken ct) =>
        SignHashAsync(kind, reportNumber, message, null, receivedAt, FilingProof.HashOf(text), ct);

    /// <summary>A proof of something whose SHA-256 is already known: a file's original, hashed as it arrived.</summary>
    public async Task<string> SignHashAsync(FilingProofKind kind, string reportNumber, int? message, int? file, DateTimeOffset receivedAt, string sha256Hex,
        CancellationToken ct)
    {
        var loaded = await WithActiveKeyAsync(ct);
        var proof = new FilingProof(kind, reportNumber, message, receivedAt, sha256Hex, loaded.ActiveId!, file);
        var signature = Algorithm.Sign(loaded.Active!, System.Text.Encoding.UTF8.GetBytes(proof.SignedText()));
        return proof.WithSignature(signature);
    }

    /// <summary>The proof if its signature holds under a published key; null for anything else, alike.</summary>
    public async Task<FilingProof?> VerifyAsync(string? text, CancellationToken ct)
    {
        if (FilingProof.Parse(text) is not var (proof, signed, signature)) return null;
        var loaded = await CurrentAsync(ct);
        if (!loaded.Public.ContainsKey(proof.KeyId) && time.GetUtcNow() - loaded.At > RetryUnknown) loaded = await ReloadAsync(ct);
        return loaded.Public.TryGetValue(proof.KeyId, out var key) && Algorithm.Verify(key, signed, signature) ? proof : null;
    }

    /// <summary>Every key that ever signed, the one in force first.</summary>
    public async Task<IReadOnlyList<ReceiptKeyView>> KeysAsync(CancellationToken ct) => (await WithActiveKeyAsync(ct)).Views;

    private async Task<Loaded> WithActiveKeyAsync(CancellationToken ct)
    {
        var loaded = await CurrentAsync(ct);
        if (loaded.Active is not null) return loaded;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var made = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new EnsureReceiptSigningKey(), ct);
            if (!made.IsSuccess) throw new InvalidOperationException("No receipt signing key could be made: " + made.Error!.Message);
        }
        loaded = await ReloadAsync(ct);
        return loaded.Active is not null ? loaded : throw new InvalidOperationException("No receipt signing key is in force.");
    }

    /// <summary>Read the keys again now (after a rotation on this instance).</summary>
    public Task Forget() => ReloadAsync(CancellationToken.None);

    private async Task<Loaded> CurrentAsync(CancellationToken ct) =>
        _loaded is { } l && time.GetUtcNow() - l.At < Fresh ? l : await ReloadAsync(ct);

    private async Task<Loaded> ReloadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
            var rows = await db.ReceiptSigningKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
            var active = rows.FirstOrDefault(k => k.RetiredAt is null);
            Key? activeKey = null;
            if (active is not null)
            {
                var plain = ContentCipher.Decrypt(ring.Current().Get(active.KekId), Convert.FromBase64String(active.SealedPrivateKey), Context(active.Id, active.KekId));
                activeKey = Key.Import(Algorithm, plain, KeyBlobFormat.RawPrivateKey);
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain);
            }
            var publics = rows.ToDictionary(k => k.Id, k => PublicKey.Import(Algorithm, k.PublicKey, KeyBlobFormat.RawPublicKey));
            var views = rows.Select(k => new ReceiptKeyView(k.Id, "Ed25519", Convert.ToBase64String(k.PublicKey),
                System.Text.Encoding.ASCII.GetString(publics[k.Id].Export(KeyBlobFormat.PkixPublicKeyText)), k.CreatedAt, k.RetiredAt)).ToList();
            // The key replaced is not disposed: a signing in flight may still hold it; the collector frees it.
            var loaded = new Loaded(time.GetUtcNow(), publics, views, active?.Id, activeKey);
            _loaded = loaded;
            return loaded;
        }
        finally { _gate.Release(); }
    }
}
