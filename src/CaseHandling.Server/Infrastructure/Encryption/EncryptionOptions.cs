namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// The key-encryption keys (KEKs), held outside the database: in configuration (Encryption:Keys:{id} = base64 of
/// 32 bytes, Encryption:ActiveKeyId) or in a key file (Encryption:KeyFile, the same two fields as JSON), which is
/// re-read when it changes. New data keys are wrapped by the active KEK; the others still unwrap until rotation
/// has re-wrapped everything (docs/ENCRYPTION.md).
/// </summary>
public sealed class EncryptionOptions
{
    public const string Section = "Encryption";

    public string? ActiveKeyId { get; set; }
    public Dictionary<string, string> Keys { get; set; } = [];
    public string? KeyFile { get; set; }
}
