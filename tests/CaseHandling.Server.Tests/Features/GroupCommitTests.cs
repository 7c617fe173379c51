using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The intake's shared transactions (Infrastructure/Persistence/GroupCommit.cs, docs/PERFORMANCE.md): requests that arrive
/// while a commit is under way share the next transaction; a row PostgreSQL refuses fails only its own request.
/// </summary>
public sealed class GroupCommitTests
{
    private string _table = "";
    private string _cs = "";

    [SetUp]
    public async Task SetUp()
    {
        var host = await TestHost.Get();
        _cs = host.ConnectionString;
        _table = "group_commit_probe_" + Guid.NewGuid().ToString("N")[..12];
        await Sql.Execute(_cs, $"CREATE TABLE {_table} (id int PRIMARY KEY)");
    }

    [TearDown]
    public async Task TearDown() => await Sql.Execute(_cs, $"DROP TABLE IF EXISTS {_table}");

    [Test]
    public async Task RequestsThatArriveDuringACommit_ShareTheNextTransaction_EachAnsweredAfterItCommitted()
    {
        await using var commit = new GroupCommit(_cs, writers: 1);
        var busy = await HoldTheWriter(commit);

        var writes = Enumerable.Range(1, 10).Select(i => commit.WriteAsync([Insert(i)], CancellationToken.None)).ToList();
        await Task.WhenAll(writes.Append(busy));

        // Visible from another connection as soon as each request has its answer: committed, not merely sent.
        var rows = await Sql.Scalar<long>(_cs, $"SELECT count(*) FROM {_table}");
        var transactions = await Sql.Scalar<long>(_cs, $"SELECT count(DISTINCT xmin::text) FROM {_table}");
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(10), "every request's row is there");
            Assert.That(transactions, Is.EqualTo(1), "the ten requests that arrived during the first commit shared one transaction");
            Assert.That(commit.Counts, Is.EqualTo((2L, 11L)), "two transactions for eleven requests");
        });
    }

    [Test]
    public async Task ARowPostgreSqlRefuses_FailsOnlyItsOwnRequest_TheOthersSharingItsTransactionCommit()
    {
        await using var commit = new GroupCommit(_cs, writers: 1);
        var busy = await HoldTheWriter(commit);

        var first = commit.WriteAsync([Insert(1), Insert(2)], CancellationToken.None);
        var twin = commit.WriteAsync([Insert(3), Insert(1)], CancellationToken.None); // its second row takes the first request's key
        var last = commit.WriteAsync([Insert(4)], CancellationToken.None);
        await busy;

        var refused = await Assert.ThrowsAsync<PostgresException>(async () => await twin);
        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.UniqueViolation), "the refused request gets PostgreSQL's own error (the unit of work makes a lost race a 409)");
        await first;
        await last;
        var ids = await Sql.Scalar<int[]>(_cs, $"SELECT array_agg(id ORDER BY id) FROM {_table}");
        Assert.That(ids, Is.EqualTo(new[] { 1, 2, 4 }), "the other requests' rows, all of them, and none of the refused request's: its rows stay together");
    }

    [Test]
    public async Task Reports_SubmittedAtOnce_EachWithItsDutyAndFirstAuditEntry_ReadableByItsCode()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var shared = host.Services.GetRequiredService<GroupCommit>();
        var before = shared.Counts.Requests;
        var receipts = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
            await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null,
                IncidentType.SeksueleIntimidatie, $"Melding {i} tegelijk met andere", "gisteren", w.InstitutionId, null,
                AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly)))
                .Read<ReportReceipt>(HttpStatusCode.Created)));

        Assert.That(shared.Counts.Requests - before, Is.GreaterThanOrEqualTo(24), "the intake's rows went through the shared transactions");
        var ids = new List<Guid>();
        foreach (var receipt in receipts) ids.Add(await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(24), "each code finds its own report");
        foreach (var id in ids)
        {
            Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM duties WHERE report_id = @id", id), Is.EqualTo(1),
                "each report has its service-level duty");
            Assert.That(await Sql.Scalar<string>(host.ConnectionString, "SELECT action FROM audit_entries WHERE subject_id = @id AND sequence = 1", id),
                Is.EqualTo("change:Submitted"), "and its first audit entry");
        }
        var status = await w.Anonymous.Post("/api/reports/status", new { receiptCode = receipts[7].ReceiptCode });
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a reporter follows up with the code");
    }

    /// <summary>Keeps the only writer busy (a statement that sleeps), and returns once PostgreSQL is running it.</summary>
    private async Task<Task> HoldTheWriter(GroupCommit commit)
    {
        var marker = "hold_" + Guid.NewGuid().ToString("N")[..12];
        var busy = commit.WriteAsync([new NpgsqlBatchCommand($"SELECT pg_sleep(0.5) AS {marker}")], CancellationToken.None);
        for (var i = 0; i < 200; i++)
        {
            if (await Sql.Scalar<long>(_cs, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE @m",
                    ("m", "%" + marker + "%")) > 0)
                return busy;
            await Task.Delay(10);
        }
        throw new TimeoutException("the writer never started the first batch");
    }

    private NpgsqlBatchCommand Insert(int id) => new($"INSERT INTO {_table} (id) VALUES ($1)") { Parameters = { new NpgsqlParameter { Value = id } } };
}
