using System.Collections.Concurrent;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Keys made ahead, already committed to the store, for the intake's new reports: the report takes the key's subject
/// id as its own, so that accepting a report costs no key-store round trip (docs/ENCRYPTION.md). Refilled 256 at a
/// time when it runs low. Unused reserved keys (after a restart) are rows without content: harmless.
/// </summary>
public sealed class KeyReserve(KeyStoreDatabase store, KeyRing ring, TimeProvider time)
{
    private const int Low = 64, Batch = 256;
    private readonly ConcurrentQueue<(Guid Subject, byte[] Key)> _ready = new();
    private readonly ConcurrentDictionary<Guid, byte[]> _taken = new();
    private int _refilling;

    /// <summary>Keys ready to be taken (a metric: docs/OPERATIONS.md).</summary>
    public int Ready => _ready.Count;

    /// <summary>A subject id whose data key is already in the store, or null when none is ready (the key is then made on save).</summary>
    public Guid? Take()
    {
        if (_ready.Count < Low && Interlocked.CompareExchange(ref _refilling, 1, 0) == 0) _ = RefillAsync();
        if (!_ready.TryDequeue(out var r)) return null;
        _taken[r.Subject] = r.Key;
        return r.Subject;
    }

    /// <summary>The key of a subject that took a reserved id, once.</summary>
    public byte[]? Claim(Guid subject) => _taken.TryRemove(subject, out var key) ? key : null;

    private async Task RefillAsync()
    {
        try
        {
            var current = ring.Current();
            var now = time.GetUtcNow();
            var made = Enumerable.Range(0, Batch).Select(_ => (Subject: Guid.CreateVersion7(now), Key: ContentCipher.NewKey())).ToList();
            await store.InsertAsync(made.Select(m => (m.Subject, current.ActiveId, DataKeys.Wrap(current.Active, current.ActiveId, m.Subject, m.Key), now)).ToList(),
                CancellationToken.None);
            foreach (var m in made) _ready.Enqueue(m);
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
}
