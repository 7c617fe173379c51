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
/// database is away or the connection fails instead, every request of the batch gets the error (inside a
/// <see cref="SharedCommitFailedException"/>; the 503 handler reads the inner one), as it would have alone.
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
    private long _runAlone;

    /// <param name="connectionString">The app's own (the same pool, prepared statements and defaults as EF's).</param>
    /// <param name="writers">How many shared transactions may be under way at once.</param>
    public GroupCommit(string connectionString, int writers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _connectionString = connectionString;
        // Made on the first request that needs it: without this the writers would carry that request's context (its
        // trace among it) for the life of the process.
        using (ExecutionContext.SuppressFlow())
            _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>
    /// Since the start: transactions committed, the requests they held, and the requests run again on their own after a
    /// shared transaction was refused (the figures say how much was shared).
    /// </summary>
    public (long Transactions, long Requests, long RunAlone) Counts =>
        (Interlocked.Read(ref _transactions), Interlocked.Read(ref _requests), Interlocked.Read(ref _runAlone));

    /// <summary>How many shared transactions may be under way at once.</summary>
    public int Writers => _writers.Length;

    /// <summary>Requests handed in and not yet taken by a writer.</summary>
    public int Waiting => _queue.Reader.Count;

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
            await ExecuteAsync(taken.SelectMany(p => p.Commands));
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _requests, taken.Count);
            foreach (var p in taken) p.Done.TrySetResult();
        }
        catch (PostgresException e) when (taken.Count > 1 && RefusedARow(e))
        {
            // The shared transaction was rolled back whole: each request again, on its own, with commands of its own (the
            // ones just run may name statements prepared on the other connection).
            Interlocked.Add(ref _runAlone, taken.Count);
            foreach (var p in taken)
            {
                try
                {
                    await ExecuteAsync(Fresh(p.Commands));
                    Interlocked.Increment(ref _transactions);
                    Interlocked.Increment(ref _requests);
                    p.Done.TrySetResult();
                }
                catch (Exception alone)
                {
                    p.Done.TrySetException(alone);
                }
            }
        }
        catch (Exception e) when (taken.Count > 1)
        {
            // The database is away, or the connection broke: every request gets the error, each in an exception of its own
            // (one instance thrown to many awaiters would mix their stack traces); the error handlers read the inner one.
            foreach (var p in taken) p.Done.TrySetException(new SharedCommitFailedException(e));
        }
        catch (Exception e)
        {
            taken[0].Done.TrySetException(e);
        }
    }

    /// <summary>
    /// A statement was refused for its data (classes 22 and 23: a bad value, a unique or foreign key violation) or lost a
    /// race (40: a deadlock, a serialization failure): one request's rows, most likely, which alone will show whose.
    /// Anything else (the server shutting down, too many connections) would fail each request alone as well.
    /// </summary>
    private static bool RefusedARow(PostgresException e) =>
        e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal)
        || e.SqlState.StartsWith("40", StringComparison.Ordinal);

    private static List<NpgsqlBatchCommand> Fresh(IEnumerable<NpgsqlBatchCommand> commands) => commands.Select(c =>
    {
        var fresh = new NpgsqlBatchCommand(c.CommandText);
        foreach (NpgsqlParameter parameter in c.Parameters) fresh.Parameters.Add(parameter.Clone());
        return fresh;
    }).ToList();

    private async Task ExecuteAsync(IEnumerable<NpgsqlBatchCommand> commands)
    {
        await using var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync(CancellationToken.None);
        await using var batch = conn.CreateBatch();
        foreach (var command in commands) batch.BatchCommands.Add(command);
        // One Sync: PostgreSQL runs the statements in one implicit transaction, committed after the last.
        await batch.ExecuteNonQueryAsync(CancellationToken.None);
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

/// <summary>The shared transaction that held a request's rows failed for a reason not its own (the database away, a broken connection).</summary>
public sealed class SharedCommitFailedException(Exception inner)
    : Exception("The transaction this request's rows shared with others failed.", inner);
