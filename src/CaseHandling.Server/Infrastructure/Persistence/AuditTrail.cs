using System.Data;
using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// Records every read and change of a case or report (docs/AUDIT.md). An entry is appended under a
/// transaction-scoped advisory lock on its subject, so that entries of one case are numbered and chained
/// one after the other while other cases proceed in parallel. A change is recorded in the transaction of
/// the change itself, when there is one.
/// </summary>
public sealed class AuditTrail(CaseHandlingDbContext db, TimeProvider time)
{
    public async Task RecordAsync(Guid subject, string action, CurrentUser user, CancellationToken ct) =>
        await RecordAsync(subject, action, user.UserId, Roles.NameOf(user.Role), ct);

    public async Task RecordAsync(Guid subject, string action, string userId, string role, CancellationToken ct)
    {
        var own = db.Database.CurrentTransaction is null;
        var tx = own ? await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct) : null;
        try
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({subject.ToString()}, 0))", ct);
            var last = await db.Audit.AsNoTracking().Where(a => a.SubjectId == subject).OrderByDescending(a => a.Sequence)
                .Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
            var sequence = (last?.Sequence ?? 0) + 1;
            var previous = last?.Hash ?? [];
            var at = AuditEntry.Truncate(time.GetUtcNow());
            var hash = AuditEntry.ComputeHash(previous, subject, sequence, at, userId, role, action);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO audit_entries (subject_id, sequence, at, user_id, role, action, previous_hash, hash)
                VALUES ({subject}, {sequence}, {at}, {userId}, {role}, {action}, {previous}, {hash})
                """, ct);
            if (tx is not null) await tx.CommitAsync(ct);
        }
        finally
        {
            if (tx is not null) await tx.DisposeAsync();
        }
    }
}

/// <summary>Verifies every chain; names the first broken link. `CaseHandling.Server verify-audit` runs it.</summary>
public static class AuditVerifier
{
    public sealed record Outcome(long Entries, long Subjects, string? FirstBroken);

    public static async Task<Outcome> VerifyAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT id, subject_id, sequence, at, user_id, role, action, previous_hash, hash FROM audit_entries ORDER BY subject_id, sequence", conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        long entries = 0, subjects = 0;
        Guid? current = null;
        byte[] previous = [];
        var expectedSequence = 1;
        while (await r.ReadAsync(ct))
        {
            entries++;
            var (id, subject, sequence) = (r.GetInt64(0), r.GetGuid(1), r.GetInt32(2));
            if (subject != current) { current = subject; subjects++; previous = []; expectedSequence = 1; }
            var storedPrevious = r.GetFieldValue<byte[]>(7);
            var stored = r.GetFieldValue<byte[]>(8);
            var recomputed = AuditEntry.ComputeHash(previous, subject, sequence, r.GetFieldValue<DateTimeOffset>(3), r.GetString(4), r.GetString(5), r.GetString(6));
            if (sequence != expectedSequence || !storedPrevious.AsSpan().SequenceEqual(previous) || !stored.AsSpan().SequenceEqual(recomputed))
                return new Outcome(entries, subjects, $"entry {id} (subject {subject}, number {sequence})");
            previous = stored;
            expectedSequence++;
        }
        return new Outcome(entries, subjects, null);
    }
}
