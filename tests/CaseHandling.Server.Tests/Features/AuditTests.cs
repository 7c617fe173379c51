using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Tests.Infrastructure;
using Npgsql;

namespace CaseHandling.Server.Tests.Features;

/// <summary>Every read and change recorded, hash-chained per case, append-only, verifiable.</summary>
public sealed class AuditTests
{
    private static async Task<long> Exec(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task AccessLog_ReadsAndChanges_ShowWhoWhenAndRole()
    {
        var host = await TestHost.Get("audit");
        var w = await World.Create(host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await w.Consult(c.Id)).Read<CaseRef>();
        await w.Board.Case(c.Id);
        await w.Inspector.Case(c.Id);
        Assert.That((await w.OtherBoard.GetAsync($"/api/cases/{c.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var log = await w.Board.GetJson<List<AccessLogEntry>>($"/api/cases/{c.Id}/access-log");
        Assert.That(log.Select(e => (e.Role, e.Action)), Is.EqualTo(new[]
        {
            ("Board", "change:Opened"), ("Board", "change:StartConsultation"), ("Board", "read"), ("Vertrouwensinspecteur", "read"),
        }));
        Assert.That(log.Select(e => e.Sequence), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(log.All(e => e.Name.Length > 0));
        Assert.That((await w.OtherBoard.GetAsync($"/api/cases/{c.Id}/access-log")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await w.Admin.GetAsync($"/api/cases/{c.Id}/access-log")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Reporter_ReadsAndChangesWithTheCode_RecordedWithoutIdentifyingThem()
    {
        var host = await TestHost.Get("audit");
        var w = await World.Create(host);
        var reporter = host.CreateClient();
        reporter.DefaultRequestHeaders.UserAgent.ParseAdd("AuditAgent/1.0");
        var receipt = await (await reporter.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
            "x", "y", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly)))
            .Read<ReportReceipt>(HttpStatusCode.Created);
        await (await reporter.Post("/api/reports/status", new { receiptCode = receipt.ReceiptCode })).Read<ReportStatusView>();
        await (await reporter.Post("/api/reports/messages", new { receiptCode = receipt.ReceiptCode, text = "aanvulling" })).Read<ReportStatusView>();
        await (await reporter.Post("/api/reports/consent", new { receiptCode = receipt.ReceiptCode, items = new[] { "Description" } })).Read<ReportStatusView>();
        await (await reporter.Post("/api/reports/consent/withdraw", new { receiptCode = receipt.ReceiptCode })).Read<ReportStatusView>();

        var id = await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT user_id, role, action FROM audit_entries WHERE subject_id = @s ORDER BY sequence", conn);
        cmd.Parameters.AddWithValue("s", id);
        var rows = new List<(string, string, string)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("reporter", "Reporter", "change:Submitted"), ("reporter", "Reporter", "read"), ("reporter", "Reporter", "change:ReporterMessage"),
            ("reporter", "Reporter", "change:GiveConsent"), ("reporter", "Reporter", "change:WithdrawConsent"),
        }));
        Assert.That(await DatabaseScan.ColumnsContaining(host.ConnectionString, "AuditAgent"), Is.Empty);
        Assert.That((await AuditVerifier.VerifyAsync(host.ConnectionString, CancellationToken.None)).FirstBroken, Is.Null);
    }

    [Test]
    public async Task Verifier_OneAuditRowAlteredWithSql_NamesThatEntry()
    {
        var host = await TestHost.Get("audit");
        var w = await World.Create(host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        for (var i = 0; i < 3; i++) await w.Board.Case(c.Id);
        Assert.That((await AuditVerifier.VerifyAsync(host.ConnectionString, CancellationToken.None)).FirstBroken, Is.Null);

        // Append-only: the database refuses an update outright...
        await Assert.ThrowsAsync<PostgresException>(async () =>
            await Exec(host.ConnectionString, $"UPDATE audit_entries SET action = 'read' WHERE subject_id = '{c.Id}' AND sequence = 2"));
        // ...so a tamperer with the owner's rights must switch the trigger off first; the chain still gives it away.
        await Exec(host.ConnectionString, "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete");
        try
        {
            await Exec(host.ConnectionString, $"UPDATE audit_entries SET user_id = 'someone-else' WHERE subject_id = '{c.Id}' AND sequence = 3");
        }
        finally
        {
            await Exec(host.ConnectionString, "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete");
        }
        var outcome = await AuditVerifier.VerifyAsync(host.ConnectionString, CancellationToken.None);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT id FROM audit_entries WHERE subject_id = '{c.Id}' AND sequence = 3", conn);
        var altered = (long)(await cmd.ExecuteScalarAsync())!;
        Assert.That(outcome.FirstBroken, Does.StartWith($"entry {altered} ").And.Contain("number 3"));
        // Leave the shared database verifiable for the other test.
        await Exec(host.ConnectionString, "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete");
        await Exec(host.ConnectionString, $"DELETE FROM audit_entries WHERE subject_id = '{c.Id}'");
        await Exec(host.ConnectionString, "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete");
    }

    [Test]
    public async Task Audit_ManyParallelReadsOfOneCaseAndOfOthers_ChainStaysIntact()
    {
        var host = await TestHost.Get("audit");
        var w = await World.Create(host);
        var a = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var b = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var reads = Enumerable.Range(0, 20).Select(i => w.Board.GetAsync($"/api/cases/{(i % 2 == 0 ? a.Id : b.Id)}"));
        var answers = await Task.WhenAll(reads);
        Assert.That(answers.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        var log = await w.Board.GetJson<List<AccessLogEntry>>($"/api/cases/{a.Id}/access-log");
        Assert.That(log.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 11)));
        Assert.That((await AuditVerifier.VerifyAsync(host.ConnectionString, CancellationToken.None)).FirstBroken, Is.Null);
    }
}
