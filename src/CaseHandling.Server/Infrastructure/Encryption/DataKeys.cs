using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// The data keys, one per case or report, in a key store of their own (ConnectionStrings:KeyStore, a database apart
/// from the case database): a copy or dump of the case database holds ciphertext and no key at all, and destroying a
/// key here makes every copy of that subject's content unreadable (crypto-shredding). Keys are stored wrapped by a
/// key-encryption key held outside both databases, and kept unwrapped in memory for a short while only.
/// </summary>
public sealed class DataKeys : IDisposable
{
    /// <summary>What the store knows of a subject's key.</summary>
    public enum State { Missing, Live, Destroyed }

    private readonly KeyRing _ring;
    private readonly TimeProvider _time;
    private readonly NpgsqlDataSource _source;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    // At most an hour in memory even when in constant use: another instance's erasure reaches this one's cache by then.
    private static readonly MemoryCacheEntryOptions Entry = new()
    {
        Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10), AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1),
    };

    public DataKeys(KeyRing ring, TimeProvider time, string keyStoreConnectionString)
    {
        _ring = ring;
        _time = time;
        // The key store's connections come on top of the case database's: a small pool, so that both together stay
        // under the server's max_connections when they share a cluster (the writer below batches the inserts).
        var builder = new NpgsqlConnectionStringBuilder(keyStoreConnectionString);
        if (builder.MaxPoolSize == new NpgsqlConnectionStringBuilder().MaxPoolSize) builder.MaxPoolSize = 16;
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
        _writer = Task.Run(WriteLoop);
    }

    /// <summary>The key store's one table; made at start-up (it is not part of the case database's migrations).</summary>
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

    private const string InsertSql =
        "INSERT INTO data_keys (subject_id, kek_id, wrapped_key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (subject_id) DO NOTHING";

    /// <summary>
    /// A new key for a subject that has none, stored (committed) before the content it seals: a crash in between
    /// leaves an unused key, never content without a key. Two writers racing for one subject end with the same key.
    /// Concurrent requests' keys go to the store together, one statement and one commit for all that are waiting
    /// (group commit), so that intake does not pay a key-store round trip each.
    /// </summary>
    public async ValueTask<byte[]> CreateAsync(Guid subject, CancellationToken ct)
    {
        var ring = _ring.Current();
        var key = ContentCipher.NewKey();
        var pending = new PendingKey(subject, ring.ActiveId, Wrap(ring.Active, ring.ActiveId, subject, key), _time.GetUtcNow());
        await _queue.Writer.WriteAsync(pending, ct);
        if (await pending.Stored.Task.WaitAsync(ct))
        {
            _cache.Set(subject, key, Entry);
            return key;
        }
        return (await FindAsync(subject, ct)).Key ?? throw new InvalidOperationException($"Subject {subject} was erased.");
    }

    // Keys made ahead, already committed to the store, for the intake's new reports: the report takes the key's
    // subject id as its own, so that accepting a report costs no key-store round trip (docs/ENCRYPTION.md).
    private readonly System.Collections.Concurrent.ConcurrentQueue<(Guid Subject, byte[] Key)> _reserve = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte[]> _reserved = new();
    private int _refilling;
    private const int ReserveLow = 64, ReserveBatch = 256;

    /// <summary>
    /// A subject id whose data key is already in the store, or null when none is ready (the caller then makes its
    /// own id and the key is made on save). Unused reserved keys (a restart) are rows without content: harmless.
    /// </summary>
    public Guid? Reserved()
    {
        if (_reserve.Count < ReserveLow && Interlocked.CompareExchange(ref _refilling, 1, 0) == 0) _ = RefillAsync();
        if (!_reserve.TryDequeue(out var r)) return null;
        _reserved[r.Subject] = r.Key;
        return r.Subject;
    }

    /// <summary>The key of a subject that took a reserved id, once.</summary>
    public byte[]? TakeReserved(Guid subject)
    {
        if (!_reserved.TryRemove(subject, out var key)) return null;
        _cache.Set(subject, key, Entry);
        return key;
    }

    private async Task RefillAsync()
    {
        try
        {
            var ring = _ring.Current();
            var now = _time.GetUtcNow();
            var made = Enumerable.Range(0, ReserveBatch).Select(_ => (Subject: Guid.CreateVersion7(now), Key: ContentCipher.NewKey())).ToList();
            await using var cmd = _source.CreateCommand("""
                INSERT INTO data_keys (subject_id, kek_id, wrapped_key, created_at)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::timestamptz[])
                """);
            cmd.Parameters.AddWithValue(made.Select(m => m.Subject).ToArray());
            cmd.Parameters.AddWithValue(made.Select(_ => ring.ActiveId).ToArray());
            cmd.Parameters.AddWithValue(made.Select(m => Wrap(ring.Active, ring.ActiveId, m.Subject, m.Key)).ToArray());
            cmd.Parameters.AddWithValue(made.Select(_ => now).ToArray());
            await cmd.ExecuteNonQueryAsync();
            foreach (var m in made) _reserve.Enqueue(m);
        }
        catch (Exception)
        {
            // The intake falls back to making keys on save; the next call tries again.
        }
        finally
        {
            Volatile.Write(ref _refilling, 0);
        }
    }

    private sealed record PendingKey(Guid Subject, string KekId, byte[] Wrapped, DateTimeOffset CreatedAt)
    {
        /// <summary>True when this insert made the row; false when the subject had a key already.</summary>
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly System.Threading.Channels.Channel<PendingKey> _queue =
        System.Threading.Channels.Channel.CreateUnbounded<PendingKey>(new() { SingleReader = true });
    private readonly Task _writer;

    private async Task WriteLoop()
    {
        var batch = new List<PendingKey>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 500 && _queue.Reader.TryRead(out var p)) batch.Add(p);
            try
            {
                await using var cmd = _source.CreateCommand("""
                    INSERT INTO data_keys (subject_id, kek_id, wrapped_key, created_at)
                    SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::timestamptz[])
                    ON CONFLICT (subject_id) DO NOTHING
                    RETURNING subject_id
                    """);
                cmd.Parameters.AddWithValue(batch.Select(p => p.Subject).ToArray());
                cmd.Parameters.AddWithValue(batch.Select(p => p.KekId).ToArray());
                cmd.Parameters.AddWithValue(batch.Select(p => p.Wrapped).ToArray());
                cmd.Parameters.AddWithValue(batch.Select(p => p.CreatedAt).ToArray());
                var inserted = new HashSet<Guid>();
                await using (var r = await cmd.ExecuteReaderAsync())
                    while (await r.ReadAsync()) inserted.Add(r.GetGuid(0));
                foreach (var p in batch) p.Stored.TrySetResult(inserted.Contains(p.Subject) && inserted.Remove(p.Subject));
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Stored.TrySetException(e);
            }
        }
    }

    public byte[] Create(Guid subject)
    {
        var ring = _ring.Current();
        var key = ContentCipher.NewKey();
        using var cmd = _source.CreateCommand(InsertSql);
        AddInsertParameters(cmd, ring, subject, key);
        if (cmd.ExecuteNonQuery() == 1)
        {
            _cache.Set(subject, key, Entry);
            return key;
        }
        return Find(subject).Key ?? throw new InvalidOperationException($"Subject {subject} was erased.");
    }

    private void AddInsertParameters(NpgsqlCommand cmd, KeyRing.Snapshot ring, Guid subject, byte[] key)
    {
        cmd.Parameters.AddWithValue(subject);
        cmd.Parameters.AddWithValue(ring.ActiveId);
        cmd.Parameters.AddWithValue(Wrap(ring.Active, ring.ActiveId, subject, key));
        cmd.Parameters.AddWithValue(_time.GetUtcNow());
    }

    /// <summary>
    /// Crypto-shredding: the wrapped key is overwritten and the unwrapped copy dropped. Idempotent. A subject that never
    /// had a key (written before encryption at rest) gets a tombstone, so that nothing seals for it again.
    /// </summary>
    public async Task DestroyAsync(Guid subject, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("""
            INSERT INTO data_keys (subject_id, kek_id, wrapped_key, created_at, destroyed_at) VALUES ($1, '', NULL, $2, $2)
            ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(data_keys.destroyed_at, excluded.destroyed_at)
            """);
        cmd.Parameters.AddWithValue(subject);
        cmd.Parameters.AddWithValue(_time.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
        _cache.Remove(subject);
    }

    public async ValueTask<(State State, byte[]? Key)> FindAsync(Guid subject, CancellationToken ct)
    {
        if (_cache.TryGetValue(subject, out byte[]? cached)) return (State.Live, cached);
        await using var cmd = _source.CreateCommand("SELECT kek_id, wrapped_key FROM data_keys WHERE subject_id = $1");
        cmd.Parameters.AddWithValue(subject);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return (State.Missing, null);
        return Unwrapped(subject, r.GetString(0), r.IsDBNull(1) ? null : r.GetFieldValue<byte[]>(1));
    }

    /// <summary>The synchronous lookup for materialization (a query's rows arrive synchronously); mostly a cache hit.</summary>
    public (State State, byte[]? Key) Find(Guid subject)
    {
        if (_cache.TryGetValue(subject, out byte[]? cached)) return (State.Live, cached);
        using var cmd = _source.CreateCommand("SELECT kek_id, wrapped_key FROM data_keys WHERE subject_id = $1");
        cmd.Parameters.AddWithValue(subject);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return (State.Missing, null);
        return Unwrapped(subject, r.GetString(0), r.IsDBNull(1) ? null : r.GetFieldValue<byte[]>(1));
    }

    /// <summary>
    /// Fetches the keys of these subjects in one round trip, before their rows are read, and hands them to the current
    /// <see cref="KeyScope"/>: reading the rows then opens their content without waiting on the key store. The unit of
    /// work does this for every case or report it loads; lists call it with all their subjects.
    /// </summary>
    public async Task PreloadAsync(IReadOnlyCollection<Guid> subjects, CancellationToken ct)
    {
        var missing = new List<Guid>();
        foreach (var s in subjects.Distinct())
        {
            if (_cache.TryGetValue(s, out byte[]? cached)) KeyScope.Add(s, State.Live, cached);
            else missing.Add(s);
        }
        if (missing.Count == 0) return;
        await using var cmd = _source.CreateCommand("SELECT subject_id, kek_id, wrapped_key FROM data_keys WHERE subject_id = ANY($1)");
        cmd.Parameters.AddWithValue(missing.ToArray());
        var found = new HashSet<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var subject = r.GetGuid(0);
            found.Add(subject);
            var (state, key) = Unwrapped(subject, r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<byte[]>(2));
            KeyScope.Add(subject, state, key);
        }
        foreach (var s in missing.Where(s => !found.Contains(s))) KeyScope.Add(s, State.Missing, null);
    }

    /// <summary>Set from <see cref="EncryptionOptions.RequirePreloadedKeys"/>.</summary>
    public bool RequirePreloaded { get; init; }

    /// <summary>The key for opening a materialized row: the unit of work's preloaded key, else (production only) a synchronous lookup.</summary>
    public (State State, byte[]? Key) ForMaterialization(Guid subject, Type rowType)
    {
        if (KeyScope.TryGet(subject, out var found)) return found;
        if (RequirePreloaded)
            throw new InvalidOperationException(
                $"Sealed {rowType.Name} content was read without its data key preloaded: load it through the unit of work or call DataKeys.PreloadAsync first.");
        return Find(subject);
    }

    /// <summary>
    /// Key rotation: re-wraps every live data key that another key-encryption key wrapped, in batches of its own
    /// transactions (rows locked with SKIP LOCKED, so two runs share the work). The data keys, and so the content,
    /// do not change. Returns how many were re-wrapped.
    /// </summary>
    public async Task<int> RewrapAsync(CancellationToken ct, int batch = 500)
    {
        var total = 0;
        while (true)
        {
            var ring = _ring.Current();
            await using var conn = await _source.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var rows = new List<(Guid Subject, string Kek, byte[] Wrapped)>();
            await using (var select = new NpgsqlCommand(
                "SELECT subject_id, kek_id, wrapped_key FROM data_keys WHERE wrapped_key IS NOT NULL AND kek_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED", conn, tx))
            {
                select.Parameters.AddWithValue(ring.ActiveId);
                select.Parameters.AddWithValue(batch);
                await using var r = await select.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) rows.Add((r.GetGuid(0), r.GetString(1), r.GetFieldValue<byte[]>(2)));
            }
            if (rows.Count == 0) return total;
            var subjects = new Guid[rows.Count];
            var wrapped = new byte[rows.Count][];
            for (var i = 0; i < rows.Count; i++)
            {
                var (subject, kek, old) = rows[i];
                var key = ContentCipher.Decrypt(ring.Get(kek), old, WrapContext(subject, kek));
                subjects[i] = subject;
                wrapped[i] = Wrap(ring.Active, ring.ActiveId, subject, key);
            }
            await using (var update = new NpgsqlCommand("""
                UPDATE data_keys k SET kek_id = $1, wrapped_key = u.wrapped
                FROM unnest($2::uuid[], $3::bytea[]) AS u(subject_id, wrapped) WHERE k.subject_id = u.subject_id
                """, conn, tx))
            {
                update.Parameters.AddWithValue(ring.ActiveId);
                update.Parameters.AddWithValue(subjects);
                update.Parameters.AddWithValue(wrapped);
                await update.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            total += rows.Count;
        }
    }

    /// <summary>Which of these subjects still have a live key.</summary>
    public async Task<List<Guid>> LiveAmongAsync(IReadOnlyCollection<Guid> subjects, CancellationToken ct)
    {
        var live = new List<Guid>();
        if (subjects.Count == 0) return live;
        await using var cmd = _source.CreateCommand("SELECT subject_id FROM data_keys WHERE subject_id = ANY($1) AND wrapped_key IS NOT NULL");
        cmd.Parameters.AddWithValue(subjects.ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) live.Add(r.GetGuid(0));
        return live;
    }

    /// <summary>How many live data keys each key-encryption key wraps (to see when an old one may go).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByKekAsync(CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT kek_id, count(*) FROM data_keys WHERE wrapped_key IS NOT NULL GROUP BY kek_id");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>();
        while (await r.ReadAsync(ct)) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }

    private (State, byte[]?) Unwrapped(Guid subject, string kek, byte[]? wrapped)
    {
        if (wrapped is null) return (State.Destroyed, null);
        var key = ContentCipher.Decrypt(_ring.Current().Get(kek), wrapped, WrapContext(subject, kek));
        _cache.Set(subject, key, Entry);
        return (State.Live, key);
    }

    /// <summary>A data key wrapped by a key-encryption key; the associated data binds it to its subject and its KEK id.</summary>
    public static byte[] Wrap(byte[] kek, string kekId, Guid subject, byte[] key) => ContentCipher.Encrypt(kek, key, WrapContext(subject, kekId));

    private static string WrapContext(Guid subject, string kek) => $"data-key/{subject:N}/{kek}";

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
        _cache.Dispose();
        _source.Dispose();
    }
}
