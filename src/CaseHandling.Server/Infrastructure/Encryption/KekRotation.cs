using Npgsql;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Key rotation, step 2 (docs/ENCRYPTION.md): re-wraps every live data key that another key-encryption key wrapped,
/// in batches of their own transactions (rows locked with SKIP LOCKED, so two runs share the work). The data keys,
/// and so the content, do not change.
/// </summary>
public sealed class KekRotation(KeyStoreDatabase store, KeyRing ring)
{
    /// <summary>Returns how many data keys were re-wrapped.</summary>
    public async Task<int> RewrapAsync(CancellationToken ct, int batch = 500)
    {
        var total = 0;
        while (true)
        {
            var current = ring.Current();
            await using var conn = await store.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var rows = new List<(Guid Subject, string Kek, byte[] Wrapped)>();
            await using (var select = new NpgsqlCommand(
                "SELECT subject_id, kek_id, wrapped_key FROM data_keys WHERE wrapped_key IS NOT NULL AND kek_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED", conn, tx))
            {
                select.Parameters.AddWithValue(current.ActiveId);
                select.Parameters.AddWithValue(batch);
                await using var r = await select.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) rows.Add((r.GetGuid(0), r.GetString(1), r.GetFieldValue<byte[]>(2)));
            }
            if (rows.Count == 0) return total;
            var subjects = rows.Select(r => r.Subject).ToArray();
            var wrapped = rows.Select(r => DataKeys.Wrap(current.Active, current.ActiveId, r.Subject, DataKeys.Unwrap(current.Get(r.Kek), r.Kek, r.Subject, r.Wrapped)))
                .ToArray();
            await using (var update = new NpgsqlCommand("""
                UPDATE data_keys k SET kek_id = $1, wrapped_key = u.wrapped
                FROM unnest($2::uuid[], $3::bytea[]) AS u(subject_id, wrapped) WHERE k.subject_id = u.subject_id
                """, conn, tx))
            {
                update.Parameters.AddWithValue(current.ActiveId);
                update.Parameters.AddWithValue(subjects);
                update.Parameters.AddWithValue(wrapped);
                await update.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            total += rows.Count;
        }
    }

    /// <summary>How many live data keys each key-encryption key wraps (an old one may go when it wraps none).</summary>
    public Task<IReadOnlyDictionary<string, long>> CountByKekAsync(CancellationToken ct) => store.CountByKekAsync(ct);
}
