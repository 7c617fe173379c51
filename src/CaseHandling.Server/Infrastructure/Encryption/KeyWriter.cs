using System.Threading.Channels;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Group commit for new data keys: concurrent requests' keys go to the store together, one statement and one commit
/// for all that are waiting, so that a burst of new cases or reports does not pay a key-store round trip each.
/// </summary>
public sealed class KeyWriter : IDisposable
{
    private sealed record Pending(Guid Subject, string KekId, byte[] Wrapped, DateTimeOffset CreatedAt)
    {
        /// <summary>True when this insert made the row; false when the subject had a key already.</summary>
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly KeyStoreDatabase _store;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly Task _loop;

    public KeyWriter(KeyStoreDatabase store)
    {
        _store = store;
        // Made on the first request that needs a key: without this the loop would carry that request's context (its
        // trace among it) for the life of the process.
        using (ExecutionContext.SuppressFlow())
            _loop = Task.Run(WriteLoop);
    }

    /// <summary>Stores (commits) a wrapped key; true when it is this one that was stored, false when the subject had a key.</summary>
    public async Task<bool> StoreAsync(Guid subject, string kekId, byte[] wrapped, DateTimeOffset createdAt, CancellationToken ct)
    {
        var pending = new Pending(subject, kekId, wrapped, createdAt);
        await _queue.Writer.WriteAsync(pending, ct);
        return await pending.Stored.Task.WaitAsync(ct);
    }

    private async Task WriteLoop()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 500 && _queue.Reader.TryRead(out var p)) batch.Add(p);
            try
            {
                var inserted = await _store.InsertAsync(batch.Select(p => (p.Subject, p.KekId, p.Wrapped, p.CreatedAt)).ToList(), CancellationToken.None);
                // Two requests for one subject in one batch: the first is the one stored.
                foreach (var p in batch) p.Stored.TrySetResult(inserted.Remove(p.Subject));
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Stored.TrySetException(e);
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
