using System.Threading.Channels;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// Commits the statement batches of concurrent requests together: what requests hand in while a commit is under way goes
/// into the next one, as one <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction, one WAL flush). Why:
/// PostgreSQL spent about a third of its work per accepted report on what each transaction costs apart from its rows
/// (the round trip, starting and committing it, the flush), and sharing that between the reports that arrive together
/// is what group commit in the database itself does for the flush alone (docs/PERFORMANCE.md).
/// <para>
/// Nothing waits for company: a request that finds a writer idle is written at once, alone. A request's
/// <see cref="WriteAsync"/> returns only after the commit that holds its rows, so an answer still means the rows are on
/// disk. Its rows commit together or not at all, as before; only the transaction is shared. When PostgreSQL refuses a
/// statement, the whole shared transaction is rolled back, and each request's batch is then run again on its own, so
/// that only the request whose row was refused sees the error (a lost race stays that request's 409). When the
/// connection fails instead, whether the commit happened is unknown, and every request of the batch gets the error, as
/// it would have alone.
/// </para>
/// </summary>
public sealed class GroupCommit : IAsyncDisposable, IDisposable
{
    /// <summary>The most requests one shared transaction holds.</summary>
    public const int MaxRequests = 64;

    private sealed record Pending(IReadOnlyList<NpgsqlBatchCommand> Commands, TaskCompletionSource Done);

    private readonly string _connectionString;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;
    private long _transactions;
    private long _requests;

    /// <param name="connectionString">The app's own (the same pool, prepared statements and defaults as EF's).</param>
    /// <param name="writers">How many shared transactions may be under way at once.</param>
    public GroupCommit(string connectionString, int writers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _connectionString = connectionString;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Transactions committed and the requests they held, since the start (the figures say how much was shared).</summary>
    public (long Transactions, long Requests) Counts => (Interlocked.Read(ref _transactions), Interlocked.Read(ref _requests));

    /// <summary>
    /// Runs <paramref name="commands"/> in a transaction, shared with other requests' batches or alone, and returns once
    /// it is committed. The commands must not belong to a batch. Once handed in, the rows are written even if the request
    /// is cancelled: other requests' rows share the transaction.
    /// </summary>
    public Task WriteAsync(IReadOnlyList<NpgsqlBatchCommand> commands, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var pending = new Pending(commands, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(GroupCommit));
        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var taken = new List<Pending>(MaxRequests);
        while (await _queue.Reader.WaitToReadAsync())
        {
            taken.Clear();
            while (taken.Count < MaxRequests && _queue.Reader.TryRead(out var next)) taken.Add(next);
            if (taken.Count > 0) await CommitAsync(taken);
        }
    }

    private async Task CommitAsync(List<Pending> taken)
    {
        try
        {
            await ExecuteAsync(taken);
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _requests, taken.Count);
            foreach (var p in taken) p.Done.TrySetResult();
        }
        catch (PostgresException) when (taken.Count > 1)
        {
            // Refused by the server, so the shared transaction was rolled back whole: each request again, on its own.
            foreach (var p in taken)
            {
                try
                {
                    await ExecuteAsync([p]);
                    Interlocked.Increment(ref _transactions);
                    Interlocked.Increment(ref _requests);
                    p.Done.TrySetResult();
                }
                catch (Exception e)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var p in taken) p.Done.TrySetException(e);
        }
    }

    private async Task ExecuteAsync(IReadOnlyList<Pending> taken)
    {
        await using var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync(CancellationToken.None);
        await using var batch = conn.CreateBatch();
        try
        {
            foreach (var p in taken)
            foreach (var command in p.Commands)
                batch.BatchCommands.Add(command);
            // One Sync: PostgreSQL runs the statements in one implicit transaction, committed after the last.
            await batch.ExecuteNonQueryAsync(CancellationToken.None);
        }
        finally
        {
            // The commands are run again on their own if the shared transaction is refused.
            batch.BatchCommands.Clear();
        }
    }

    /// <summary>Lets the requests already handed in commit, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    /// <summary>The same, for a container disposed synchronously.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        Task.WaitAll(_writers, TimeSpan.FromSeconds(30));
    }
}
