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

    /// <summary>
    /// Opening sealed content whose data key the unit of work did not preload throws instead of fetching the key
    /// synchronously (KeyScope). On in the tests and in Development, so that a handler that forgets fails loudly;
    /// off in production, where the synchronous fallback is slower but still right.
    /// </summary>
    public bool RequirePreloadedKeys { get; set; }

    /// <summary>
    /// How many unwrapped data keys stay in memory (each for at most an hour, ten minutes unused): about 400 bytes each
    /// with the cache's bookkeeping, so the default of 100,000 holds some 40 MB once full. Under steady intake it fills
    /// and then stays at that size; the soak sets it low so that it is full within its warm-up (docs/RELIABILITY.md).
    /// </summary>
    public int KeyCacheSize { get; set; } = 100_000;
}
