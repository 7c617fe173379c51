namespace CaseHandling.Data;

/// <summary>
/// A key the meldpunt signs proofs of filing with (Ed25519, docs/RECEIPTS.md). The public half is published; the private
/// half is stored sealed with the key-encryption key, as the Data Protection keys are (docs/ENCRYPTION.md). A key is
/// never deleted: a proof it signed must verify for as long as anyone keeps it. The newest key not retired signs.
/// </summary>
public sealed class ReceiptSigningKey
{
    public string Id { get; set; } = "";
    /// <summary>The raw 32-byte Ed25519 public key.</summary>
    public byte[] PublicKey { get; set; } = [];
    /// <summary>The private key, base64(nonce ‖ ciphertext ‖ tag) under the KEK <see cref="KekId"/>.</summary>
    public string SealedPrivateKey { get; set; } = "";
    public string KekId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When a newer key took over signing; the key still verifies what it signed.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
