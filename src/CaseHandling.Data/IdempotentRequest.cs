namespace CaseHandling.Data;

/// <summary>
/// A command request that carried an Idempotency-Key, kept for a day so that a retry gets the first answer instead of
/// doing the work again. The row is written in the same transaction as the command's change (so a crash can never leave
/// the change without its key, or the key without its change), and the answer is added once it is sent. Only hashes and
/// sealed bytes: the key itself, the request and the answer (which may hold a receipt code) are unreadable without the
/// key the client holds.
/// </summary>
public sealed class IdempotentRequest
{
    /// <summary>SHA-256 over the caller's scope and the key.</summary>
    public byte[] KeyHash { get; set; } = [];
    /// <summary>HMAC of the method, path and body under a key derived from the Idempotency-Key: a reused key with another request is refused.</summary>
    public byte[] RequestHash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The answer's status code; null while the command runs (or if the process died between its commit and its answer).</summary>
    public int? Status { get; set; }
    /// <summary>The answer (content type, Location, ETag, body), AES-256-GCM under a key derived from the Idempotency-Key.</summary>
    public byte[]? Response { get; set; }
}
