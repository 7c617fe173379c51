using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The intake's shared transactions (Infrastructure/Persistence/GroupCommit.cs, docs/PERFORMANCE.md): requests that arrive
/// while a commit is under way share the next transaction; a row PostgreSQL refuses fails only its own request. The writers
/// are held deterministically: their first statement waits for an advisory lock the test holds.
/// </summary>
public sealed class GroupCommitTests
{
    private string _table = "";
    private string _cs = "";

    [SetUp]
    public async Task SetUp()
    {
        var host = await TestHost.Get();
        // The app's own connection settings: statements are prepared automatically, as in the intake.
        _cs = HostSetup.WithConnectionDefaults(host.ConnectionString);
        _table = "group_commit_probe_" + Guid.NewGuid().ToString("N")[..12];
        await Sql.Execute(_cs, $"CREATE TABLE {_table} (id int PRIMARY KEY)");
    }

    [TearDown]
    public async Task TearDown() => await Sql.Execute(_cs, $"DROP TABLE IF EXISTS {_table}");

    [Test]
    public async Task RequestsThatArriveDuringACommit_ShareTheNextTransaction_EachAnsweredAfterItCommitted()
    {
        await using var commit = new GroupCommit(_cs, writers: 1);
        await using var hold = await Hold.Take(_cs);
        var held = await hold.Writers(commit, 1);

        var writes = Enumerable.Range(1, 10).Select(i => commit.WriteAsync([Insert(i)], CancellationToken.None)).ToList();
        Assert.That(writes.Any(w => w.IsCompleted), Is.False, "nothing is answered before its commit");
        await hold.Release();
        await Task.WhenAll(writes.Concat(held));

        // Visible from another connection as soon as each request has its answer: committed, not merely sent.
        var rows = await Sql.Scalar<long>(_cs, $"SELECT count(*) FROM {_table}");
        var transactions = await Sql.Scalar<long>(_cs, $"SELECT count(DISTINCT xmin::text) FROM {_table}");
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(10), "every request's row is there");
            Assert.That(transactions, Is.EqualTo(1), "the ten requests that arrived during the first commit shared one transaction");
            Assert.That(commit.Counts, Is.EqualTo((2L, 11L, 0L)), "two transactions for eleven requests");
        });
    }

    [Test]
    public async Task ARowPostgreSqlRefuses_FailsOnlyItsOwnRequest_TheOthersSharingItsTransactionCommit()
    {
        await using var commit = new GroupCommit(_cs, writers: 1);
        // Warm up: the probe's insert is prepared on the connections (two uses), so the retries below run where a
        // prepared statement of another connection could be named.
        for (var i = 0; i < 4; i++) await commit.WriteAsync([Insert(100 + i)], CancellationToken.None);
        await using var hold = await Hold.Take(_cs);
        var held = await hold.Writers(commit, 1);

        var first = commit.WriteAsync([Insert(1), Insert(2)], CancellationToken.None);
        var twin = commit.WriteAsync([Insert(3), Insert(1)], CancellationToken.None); // its second row takes the first request's key
        var last = commit.WriteAsync([Insert(4)], CancellationToken.None);
        await hold.Release();
        await Task.WhenAll(held);

        var refused = await Assert.ThrowsAsync<PostgresException>(async () => await twin);
        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.UniqueViolation), "the refused request gets PostgreSQL's own error (the unit of work makes a lost race a 409)");
        await first;
        await last;
        var ids = await Sql.Scalar<int[]>(_cs, $"SELECT array_agg(id ORDER BY id) FROM {_table} WHERE id < 100");
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.EqualTo(new[] { 1, 2, 4 }), "the other requests' rows, all of them, and none of the refused request's: its rows stay together");
            Assert.That(commit.Counts.RunAlone, Is.EqualTo(3), "the three had shared a transaction, refused whole, and ran again alone");
        });
    }

    [Test]
    public async Task Intake_ReportsThatArriveTogether_ShareTransactions_EachReportWithItsDutyAuditEntryAndForwardedCase()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var commit = host.Services.GetRequiredService<GroupCommit>();
        await using var hold = await Hold.Take(_cs);
        // Every writer of the app waits, so the reports below queue up as a burst does while commits are under way.
        var held = await hold.Writers(commit, commit.Writers);

        var waitingBefore = commit.Waiting;
        var posts = Enumerable.Range(0, 24).Select(i => Submit(w, ReporterKind.Student, IncidentType.SeksueleIntimidatie, $"Melding {i}"))
            .Append(Submit(w, ReporterKind.StaffMember, IncidentType.Zedenmisdrijf, "Een collega en een leerling"))
            .ToList();
        for (var i = 0; i < 500 && commit.Waiting < waitingBefore + 25; i++) await Task.Delay(10);
        await hold.Release();
        var receipts = await Task.WhenAll(posts);
        await Task.WhenAll(held);

        var ids = new List<Guid>();
        foreach (var receipt in receipts) ids.Add(await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(25), "each code finds its own report");
        var transactions = new HashSet<string>();
        foreach (var id in ids)
        {
            var xmin = await Sql.Scalar<string>(host.ConnectionString, "SELECT xmin::text FROM reports WHERE id = @id", id);
            transactions.Add(xmin);
            Assert.That(await Sql.Scalar<string>(host.ConnectionString, "SELECT string_agg(xmin::text, ',') FROM duties WHERE report_id = @id", id),
                Is.EqualTo(xmin), "each report has its service-level duty, committed with it");
            Assert.That(await Sql.Scalar<string>(host.ConnectionString, "SELECT xmin::text || ' ' || action FROM audit_entries WHERE subject_id = @id AND sequence = 1", id),
                Is.EqualTo(xmin + " change:Submitted"), "and its first audit entry");
        }
        Assert.That(transactions, Has.Count.LessThan(25), "the reports that queued together shared transactions");
        var forwarded = ids[^1];
        Assert.That(await Sql.Scalar<string>(host.ConnectionString,
                "SELECT c.xmin::text FROM reports r JOIN cases c ON c.id = r.forwarded_case_id WHERE r.id = @id", forwarded),
            Is.EqualTo(await Sql.Scalar<string>(host.ConnectionString, "SELECT xmin::text FROM reports WHERE id = @id", forwarded)),
            "a staff member's report and the board's case it opens commit together");
        var status = await w.Anonymous.Post("/api/reports/status", new { receiptCode = receipts[7].ReceiptCode });
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a reporter follows up with the code");
    }

    private static async Task<ReportReceipt> Submit(World w, ReporterKind kind, IncidentType type, string text) =>
        await (await w.Anonymous.Post("/api/reports", new SubmitReport(kind, true, null, null, null, type, text, "gisteren", w.InstitutionId, null,
            AccusedRole.MetTakenBelastPersoon, VictimWho.SomeoneElse, VictimAgeAnswer.Minor, Destination.MeldpuntOnly)))
            .Read<ReportReceipt>(HttpStatusCode.Created);

    private NpgsqlBatchCommand Insert(int id) => new($"INSERT INTO {_table} (id) VALUES ($1)") { Parameters = { new NpgsqlParameter { Value = id } } };

    /// <summary>An advisory lock the test holds; a writer whose first statement asks for it waits until the test lets go.</summary>
    private sealed class Hold : IAsyncDisposable
    {
        private readonly NpgsqlConnection _conn;
        private readonly string _cs;
        private readonly int _key = Random.Shared.Next(1, int.MaxValue);
        private bool _released;

        private Hold(NpgsqlConnection conn, string cs) { _conn = conn; _cs = cs; }

        public static async Task<Hold> Take(string cs)
        {
            var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
            await conn.OpenAsync();
            var hold = new Hold(conn, cs);
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({hold._key})", conn);
            await cmd.ExecuteNonQueryAsync();
            return hold;
        }

        /// <summary>Hands <paramref name="count"/> writers a statement that waits for the lock, one after another, each once it waits.</summary>
        public async Task<List<Task>> Writers(GroupCommit commit, int count)
        {
            var held = new List<Task>();
            for (var n = 1; n <= count; n++)
            {
                held.Add(commit.WriteAsync([new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({_key})")], CancellationToken.None));
                for (var i = 0; await Waiters() < n; i++)
                {
                    if (i == 1000) throw new TimeoutException($"writer {n} never took the held statement");
                    await Task.Delay(10);
                }
            }
            return held;
        }

        private Task<long> Waiters() => Sql.Scalar<long>(_cs,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = @k::oid", ("k", (long)_key));

        public async Task Release()
        {
            if (_released) return;
            _released = true;
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({_key})", _conn);
            await cmd.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await Release();
            await _conn.DisposeAsync();
        }
    }
}
