using System.Security.Cryptography;
using System.Text;

namespace CaseHandling.Data;

/// <summary>
/// One read or change of a case or report: who, in which role, when, what. Append-only (a trigger refuses
/// UPDATE and DELETE), and hash-chained per subject: each entry's hash covers the previous entry's hash and
/// its own fields, so an altered or removed entry breaks the chain from there on. One chain per case, so that
/// unrelated cases never wait on each other.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid SubjectId { get; set; }
    public int Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public string UserId { get; set; } = "";
    public string Role { get; set; } = "";
    public string Action { get; set; } = "";
    public byte[] PreviousHash { get; set; } = [];
    public byte[] Hash { get; set; } = [];

    /// <summary>The hash of an entry: SHA-256 over the previous hash and the entry's fields, in a fixed form.</summary>
    public static byte[] ComputeHash(byte[] previous, Guid subject, int sequence, DateTimeOffset at, string userId, string role, string action)
    {
        var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10; // PostgreSQL keeps microseconds
        var fields = Encoding.UTF8.GetBytes($"{subject:N}|{sequence}|{micros}|{userId}|{role}|{action}");
        return SHA256.HashData([.. previous, .. fields]);
    }

    /// <summary>PostgreSQL stores microseconds: truncate before hashing so the stored row hashes the same.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}
