using Npgsql;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// The key store's one table and every statement on it (ConnectionStrings:KeyStore, a database apart from the case
/// database). Asynchronous only. Rows hold data keys wrapped by a key-encryption key; a destroyed key is a row whose
/// wrapped key is null (a tombstone), so nothing is ever sealed for that subject again.
/// </summary>
public sealed class KeyStoreDatabase : IDisposable
{
    private readonly NpgsqlDataSource _source;

    public KeyStoreDatabase(string connectionString)
    {
        // The key store's connections come on top of the case database's: a small pool, so that both together stay
        // under the server's max_connections when they share a cluster (KeyWriter batches the inserts).
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxPoolSize == new NpgsqlConnectionStringBuilder().MaxPoolSize) builder.MaxPoolSize = 16;
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public sealed record Row(Guid Subject, string KekId, byte[]? Wrapped);

    /// <summary>Made at start-up (the table is not part of the case database's migrations).</summary>
    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("""
            CREATE TABLE IF NOT EXISTS data_keys (
                subject_id uuid PRIMARY KEY,
                kek_id varchar(64) NOT NULL,
                wrapped_key bytea NULL,
                created_at timestamptz NOT NULL,
                destroyed_at timestamptz NULL);
            CREATE INDEX IF NOT EXISTS ix_data_keys_live_kek ON data_keys (kek_id) WHERE wrapped_key IS NOT NULL;
            """);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Inserts new keys in one statement; returns the subjects whose row this insert made (not those that had one).</summary>
    public async Task<HashSet<Guid>> InsertAsync(IReadOnlyList<(Guid Subject, string KekId, byte[] Wrapped, DateTimeOffset CreatedAt)> keys, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("""
            INSERT INTO data_keys (subject_id, kek_id, wrapped_key, created_at)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::timestamptz[])
            ON CONFLICT (subject_id) DO NOTHING
            RETURNING subject_id
            """);
        cmd.Parameters.AddWithValue(keys.Select(k => k.Subject).ToArray());
        cmd.Parameters.AddWithValue(keys.Select(k => k.KekId).ToArray());
        cmd.Parameters.AddWithValue(keys.Select(k => k.Wrapped).ToArray());
        cmd.Parameters.AddWithValue(keys.Select(k => k.CreatedAt).ToArray());
        var inserted = new HashSet<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) inserted.Add(r.GetGuid(0));
        return inserted;
    }

    /// <summary>The rows of these subjects, live or destroyed; a subject without a row is absent.</summary>
    public async Task<List<Row>> FindAsync(IReadOnlyCollection<Guid> subjects, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT subject_id, kek_id, wrapped_key FROM data_keys WHERE subject_id = ANY($1)");
        cmd.Parameters.AddWithValue(subjects.ToArray());
        var rows = new List<Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows.Add(new Row(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<byte[]>(2)));
        return rows;
    }

    /// <summary>Overwrites the wrapped key (or writes a tombstone for a subject that never had one). Idempotent.</summary>
    public async Task DestroyAsync(Guid subject, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("""
            INSERT INTO data_keys (subject_id, kek_id, wrapped_key, created_at, destroyed_at) VALUES ($1, '', NULL, $2, $2)
            ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(data_keys.destroyed_at, excluded.destroyed_at)
            """);
        cmd.Parameters.AddWithValue(subject);
        cmd.Parameters.AddWithValue(now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The store answers and has its table (readiness: docs/OPERATIONS.md).</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT 1 FROM data_keys LIMIT 1");
        await cmd.ExecuteScalarAsync(ct);
    }

    /// <summary>How many live data keys each key-encryption key wraps.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByKekAsync(CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT kek_id, count(*) FROM data_keys WHERE wrapped_key IS NOT NULL GROUP BY kek_id");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>();
        while (await r.ReadAsync(ct)) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }

    /// <summary>A connection of the key store's own, for work in batches of its own transactions (re-wrapping).</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => _source.OpenConnectionAsync(ct);

    public void Dispose() => _source.Dispose();
}
