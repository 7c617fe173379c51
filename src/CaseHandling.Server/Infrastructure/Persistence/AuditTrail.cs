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
    /// <summary>
    /// The first entry of a subject made in this very save (a new report or case): nobody else can see the subject
    /// before the commit, so no lock or lookup is needed, and it goes in the same statement batch as the subject.
    /// </summary>
    public static AuditEntry First(Guid subject, string action, string userId, string role, DateTimeOffset now)
    {
        var at = AuditEntry.Truncate(now);
        return new AuditEntry
        {
            SubjectId = subject, Sequence = 1, At = at, UserId = userId, Role = role, Action = action, PreviousHash = [],
            Hash = AuditEntry.ComputeHash([], subject, 1, at, userId, role, action),
        };
    }

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

/// <summary>
/// Many entries in one transaction of the caller's (the deadline sweep's batches): the subjects' advisory locks are
/// taken in one order, so two batches cannot deadlock on each other, and each chain is continued from its last entry.
/// </summary>
public static class AuditBatch
{
    public static async Task AppendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<(Guid Subject, string Action)> entries,
        string userId, string role, DateTimeOffset now, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        var subjects = entries.Select(e => e.Subject).Distinct().Order().ToArray();
        await using (var lockCmd = new NpgsqlCommand(
            "SELECT count(pg_advisory_xact_lock(hashtextextended(s::text, 0))) FROM (SELECT s FROM unnest($1::uuid[]) s ORDER BY s) o", conn, tx))
        {
            lockCmd.Parameters.AddWithValue(subjects);
            await lockCmd.ExecuteScalarAsync(ct);
        }
        var last = new Dictionary<Guid, (int Sequence, byte[] Hash)>();
        await using (var select = new NpgsqlCommand("""
            SELECT DISTINCT ON (subject_id) subject_id, sequence, hash FROM audit_entries
            WHERE subject_id = ANY($1) ORDER BY subject_id, sequence DESC
            """, conn, tx))
        {
            select.Parameters.AddWithValue(subjects);
            await using var r = await select.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) last[r.GetGuid(0)] = (r.GetInt32(1), r.GetFieldValue<byte[]>(2));
        }
        var at = AuditEntry.Truncate(now);
        var rows = new List<(Guid Subject, int Sequence, string Action, byte[] Previous, byte[] Hash)>();
        foreach (var (subject, action) in entries)
        {
            var (sequence, previous) = last.TryGetValue(subject, out var l) ? l : (0, []);
            var hash = AuditEntry.ComputeHash(previous, subject, sequence + 1, at, userId, role, action);
            rows.Add((subject, sequence + 1, action, previous, hash));
            last[subject] = (sequence + 1, hash);
        }
        await using var insert = new NpgsqlCommand("""
            INSERT INTO audit_entries (subject_id, sequence, at, user_id, role, action, previous_hash, hash)
            SELECT u.subject_id, u.sequence, $1, $2, $3, u.action, u.previous_hash, u.hash
            FROM unnest($4::uuid[], $5::int[], $6::text[], $7::bytea[], $8::bytea[]) AS u(subject_id, sequence, action, previous_hash, hash)
            """, conn, tx);
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(userId);
        insert.Parameters.AddWithValue(role);
        insert.Parameters.AddWithValue(rows.Select(x => x.Subject).ToArray());
        insert.Parameters.AddWithValue(rows.Select(x => x.Sequence).ToArray());
        insert.Parameters.AddWithValue(rows.Select(x => x.Action).ToArray());
        insert.Parameters.AddWithValue(rows.Select(x => x.Previous).ToArray());
        insert.Parameters.AddWithValue(rows.Select(x => x.Hash).ToArray());
        await insert.ExecuteNonQueryAsync(ct);
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
