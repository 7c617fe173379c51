using Microsoft.Extensions.Caching.Memory;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// The data keys, one per case or report, as the rest of the system uses them: made for a new subject, fetched ahead
/// of reading (<see cref="PreloadAsync"/>), destroyed at erasure. They live in the key store (<see cref="KeyStoreDatabase"/>),
/// a database apart from the case database, so that a copy or dump of the case database holds ciphertext and no key,
/// and destroying a key makes every copy of that subject's content unreadable (crypto-shredding). Keys are stored
/// wrapped by a key-encryption key held outside both databases, and kept unwrapped in memory for a short while only.
/// </summary>
public sealed class DataKeys(KeyRing ring, TimeProvider time, KeyStoreDatabase store, KeyWriter writer, KeyReserve reserve, int cacheSize) : IDisposable
{
    /// <summary>What the store knows of a subject's key.</summary>
    public enum State { Missing, Live, Destroyed }

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = cacheSize });
    // At most an hour in memory even when in constant use: another instance's erasure reaches this one's cache by then.
    private static readonly MemoryCacheEntryOptions Entry = new()
    {
        Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10), AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1),
    };

    /// <summary>Set from <see cref="EncryptionOptions.RequirePreloadedKeys"/>.</summary>
    public bool RequirePreloaded { get; init; }

    public Task EnsureSchemaAsync(CancellationToken ct) => store.EnsureSchemaAsync(ct);

    /// <summary>
    /// A new key for a subject that has none, stored (committed) before the content it seals: a crash in between
    /// leaves an unused key, never content without a key. Two writers racing for one subject end with the same key.
    /// </summary>
    public async ValueTask<byte[]> CreateAsync(Guid subject, CancellationToken ct)
    {
        if (reserve.Claim(subject) is { } reserved)
        {
            _cache.Set(subject, reserved, Entry);
            return reserved;
        }
        var current = ring.Current();
        var key = ContentCipher.NewKey();
        if (await writer.StoreAsync(subject, current.ActiveId, Wrap(current.Active, current.ActiveId, subject, key), time.GetUtcNow(), ct))
        {
            _cache.Set(subject, key, Entry);
            return key;
        }
        return (await FindAsync(subject, ct)).Key ?? throw new InvalidOperationException($"Subject {subject} was erased.");
    }

    /// <summary>A subject id whose key is already in the store (the intake's reports), or null when none is ready.</summary>
    public Guid? Reserved() => reserve.Take();

    /// <summary>Crypto-shredding: the wrapped key is overwritten and the unwrapped copy dropped. Idempotent.</summary>
    public async Task DestroyAsync(Guid subject, CancellationToken ct)
    {
        await store.DestroyAsync(subject, time.GetUtcNow(), ct);
        _cache.Remove(subject);
    }

    public async ValueTask<(State State, byte[]? Key)> FindAsync(Guid subject, CancellationToken ct)
    {
        if (_cache.TryGetValue(subject, out byte[]? cached)) return (State.Live, cached);
        var rows = await store.FindAsync([subject], ct);
        return rows.Count == 0 ? (State.Missing, null) : Unwrapped(rows[0]);
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
        var found = new HashSet<Guid>();
        foreach (var row in await store.FindAsync(missing, ct))
        {
            found.Add(row.Subject);
            var (state, key) = Unwrapped(row);
            KeyScope.Add(row.Subject, state, key);
        }
        foreach (var s in missing.Where(s => !found.Contains(s))) KeyScope.Add(s, State.Missing, null);
    }

    /// <summary>
    /// The key for opening a materialized row: the unit of work's preloaded key. Without one, the tests and Development
    /// fail loudly; production waits for the key store synchronously (slower, still right).
    /// </summary>
    public (State State, byte[]? Key) ForMaterialization(Guid subject, Type rowType)
    {
        if (KeyScope.TryGet(subject, out var found)) return found;
        // Strict even when the key happens to be cached: a warm cache must not hide a handler that forgot to preload.
        if (RequirePreloaded)
            throw new InvalidOperationException(
                $"Sealed {rowType.Name} content was read without its data key preloaded: load it through the unit of work or call DataKeys.PreloadAsync first.");
        return FindAsync(subject, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Which of these subjects still have a live key.</summary>
    public async Task<List<Guid>> LiveAmongAsync(IReadOnlyCollection<Guid> subjects, CancellationToken ct) =>
        subjects.Count == 0 ? [] : (await store.FindAsync(subjects, ct)).Where(r => r.Wrapped is not null).Select(r => r.Subject).ToList();

    private (State, byte[]?) Unwrapped(KeyStoreDatabase.Row row)
    {
        if (row.Wrapped is null) return (State.Destroyed, null);
        var key = Unwrap(ring.Current().Get(row.KekId), row.KekId, row.Subject, row.Wrapped);
        _cache.Set(row.Subject, key, Entry);
        return (State.Live, key);
    }

    /// <summary>A data key wrapped by a key-encryption key; the associated data binds it to its subject and its KEK id.</summary>
    public static byte[] Wrap(byte[] kek, string kekId, Guid subject, byte[] key) => ContentCipher.Encrypt(kek, key, WrapContext(subject, kekId));

    public static byte[] Unwrap(byte[] kek, string kekId, Guid subject, byte[] wrapped) => ContentCipher.Decrypt(kek, wrapped, WrapContext(subject, kekId));

    private static string WrapContext(Guid subject, string kek) => $"data-key/{subject:N}/{kek}";

    public void Dispose() => _cache.Dispose();
}
