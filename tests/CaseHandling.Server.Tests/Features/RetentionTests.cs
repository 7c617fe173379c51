using System.Net;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Tests.Infrastructure;
using Npgsql;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Retention (docs/RETENTION.md) on a real Hangfire server with a controlled clock: crypto-shredding, the counts
/// that remain, the legal hold, and a backup taken before the job ran.
/// </summary>
public sealed class RetentionTests
{
    [Test]
    public async Task RetentionJob_AfterThePeriod_ErasesContentEvenFromAnEarlierDump_KeepsCounts_SparesLegalHoldAndOpenCases()
    {
        await using var j = await JobHost.Start("retention", DateTimeOffset.UtcNow);
        var w = await World.Create(j.Host);
        var m = $"BEWAAR{Guid.NewGuid():N}"[..20];
        var now = j.Clock.GetUtcNow();

        async Task<Guid> Closed(string tag)
        {
            var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: now.AddHours(-1), facts: $"{m}-{tag}");
            await (await w.Consult(c.Id)).Read<CaseRef>();
            await (await w.Inspector.Post($"/api/cases/{c.Id}/outcome", new { outcome = "NoReasonableSuspicion", reasoning = $"{m}-{tag}-onderbouwing" })).Read<CaseRef>();
            await (await w.FollowUp(c.Id, FollowUp.None)).Read<CaseRef>();
            return c.Id;
        }
        var erased = await Closed("weg");
        var held = await Closed("bewaard");
        var hold = await (await w.Board.Post($"/api/cases/{held}/legal-hold", new { hold = true })).Read<CaseRef>();
        Assert.That((await w.Board.Case(held)).LegalHold, Is.True);
        Assert.That(hold.State, Is.EqualTo(CaseState.Closed));
        var open = (await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: now.AddHours(-1), facts: $"{m}-open")).Id;

        var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
            $"{m}-melding", "gisteren", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult,
            Destination.MeldpuntOnly, $"{m}-beschuldigde", null, $"{m}@example.org"))).Read<ReportReceipt>(HttpStatusCode.Created);
        var report = await Sql.ReportIdByReceiptCode(j.Host.ConnectionString, receipt.ReceiptCode);
        Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString, "SELECT count(*) FROM accused_identifiers WHERE report_id = @id", report), Is.EqualTo(2));
        await (await w.Handler.Post($"/api/meldpunt/reports/{report}/messages", new { kind = "Acknowledgement", text = $"{m}-bericht" })).Read<ReportRef>();
        await (await w.Handler.Post($"/api/meldpunt/reports/{report}/close", new { })).Read<ReportRef>();

        var countsBefore = await w.Admin.GetJson<StatisticsView>("/api/admin/statistics");

        // A backup, taken the night before the retention period ends.
        var dump = Path.Combine(Path.GetTempPath(), $"casehandling-dump-{Guid.NewGuid():N}.sql");
        await PgTools.DumpAsync(j.Host.ConnectionString, dump);
        try
        {
            var dumped = await File.ReadAllTextAsync(dump);
            Assert.That(dumped, Does.Not.Contain(m), "the backup holds no content in plaintext");
            Assert.That(dumped, Does.Contain("ch1:"), "it holds the sealed content");

            // Two years and more later (24 months for "no redelijk vermoeden", 12 for a closed meldpunt report).
            j.Clock.Advance(TimeSpan.FromDays(800));
            Assert.That(await j.Run<RetentionJob>(x => x.Run(CancellationToken.None)), Is.EqualTo("Succeeded"));

            // The tokens of the first accounts have expired on the moved clock: new ones sign in.
            var admin = await World.SignIn(j.Host, TestHost.AdminEmail, TestHost.AdminPassword);
            var board = await World.NewUser(j.Host, admin, StaffRole.Board, w.InstitutionId);
            var handler = await World.NewUser(j.Host, admin, StaffRole.MeldpuntHandler, null);

            // Erased: the content is gone, the codes and dates remain.
            var gone = await board.Case(erased);
            Assert.That(gone.ErasedAt, Is.Not.Null);
            Assert.That(gone.State, Is.EqualTo(CaseState.Closed));
            Assert.That(gone.Timeline.Select(t => t.Details.GetRawText()), Is.All.EqualTo("{}"));
            Assert.That(gone.Timeline.Select(t => t.ActorId), Is.All.Empty, "staff ids go too");
            Assert.That(gone.InspectorId, Is.Empty);
            Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString, "SELECT count(*) FROM duties WHERE case_id = @id AND assignee_user_id IS NOT NULL", erased), Is.Zero);
            var goneReport = await handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{report}");
            Assert.That(goneReport.ErasedAt, Is.Not.Null);
            Assert.That(goneReport.WhatHappened, Is.Empty);
            Assert.That(goneReport.Messages.Select(x => x.Text), Is.All.Empty);
            // The accused as named is blanked, and its keyed hashes are gone: an erased report matches nothing (docs/MATCHING.md).
            Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString,
                "SELECT count(*) FROM report_accused WHERE report_id = @id AND name IS NULL AND email IS NULL AND staff_number IS NULL", report), Is.EqualTo(1));
            Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString, "SELECT count(*) FROM accused_identifiers WHERE report_id = @id", report), Is.Zero);
            Assert.That(await KeyState(j.Host.KeyStoreConnectionString, erased), Is.EqualTo("destroyed"));
            Assert.That(await KeyState(j.Host.KeyStoreConnectionString, report), Is.EqualTo("destroyed"));
            Assert.That(await DatabaseScan.ColumnsContaining(j.Host.ConnectionString, "ch1:"), Is.Not.Empty, "the other cases stay sealed");

            // On legal hold, or still open: untouched and readable.
            var kept = await board.Case(held);
            Assert.That(kept.ErasedAt, Is.Null);
            Assert.That(JsonSerializer.Serialize(kept.Timeline.Select(t => t.Details)), Does.Contain($"{m}-bewaard-onderbouwing"));
            Assert.That(JsonSerializer.Serialize((await board.Case(open)).Timeline.Select(t => t.Details)), Does.Contain($"{m}-open"));
            Assert.That(await KeyState(j.Host.KeyStoreConnectionString, held), Is.EqualTo("live"));

            // The anonymous counts are what they were, now with one case and one report counted as erased.
            var countsAfter = await admin.GetJson<StatisticsView>("/api/admin/statistics");
            Assert.That(countsAfter.Cases.Select(c => (c.Sector, c.IncidentType, c.State, c.Cases)),
                Is.EqualTo(countsBefore.Cases.Select(c => (c.Sector, c.IncidentType, c.State, c.Cases))));
            Assert.That(countsAfter.Reports.Select(r => (r.Status, r.Reports)), Is.EqualTo(countsBefore.Reports.Select(r => (r.Status, r.Reports))));
            Assert.That(countsAfter.Cases.Sum(c => c.Erased), Is.EqualTo(1));
            Assert.That(countsAfter.Reports.Sum(r => r.Erased), Is.EqualTo(1));

            // The erasure is in the audit trail, by the system.
            Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString, "SELECT count(*) FROM audit_entries WHERE subject_id = @id AND action = 'erase:retention' AND user_id = 'system:retention'", erased),
                Is.EqualTo(1));

            // The backup from before, restored next to the key store as it is now: the erased case cannot be read from it.
            var restored = await TestDatabase.CreateAsync("restored", migrate: false);
            await PgTools.RestoreAsync(restored, dump);
            var copy = await TestHost.Get("retention-restored", connectionString: restored, keyStoreConnectionString: j.Host.KeyStoreConnectionString);
            var copyAdmin = await World.SignIn(copy, TestHost.AdminEmail, TestHost.AdminPassword);
            var copyBoard = await World.NewUser(copy, copyAdmin, StaffRole.Board, w.InstitutionId);
            var fromBackup = await copyBoard.Case(erased);
            Assert.That(fromBackup.ErasedAt, Is.Null, "the copy is from before the erasure");
            Assert.That(JsonSerializer.Serialize(fromBackup.Timeline.Select(t => t.Details)), Does.Not.Contain(m), "yet its sealed content no longer opens");
            Assert.That(JsonSerializer.Serialize((await copyBoard.Case(held)).Timeline.Select(t => t.Details)), Does.Contain($"{m}-bewaard"),
                "the copy itself is sound: the held case opens");
            var copyHandler = await World.NewUser(copy, copyAdmin, StaffRole.MeldpuntHandler, null);
            Assert.That((await copyHandler.GetJson<ReportDetail>($"/api/meldpunt/reports/{report}")).WhatHappened, Does.Not.Contain(m));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Test]
    public async Task RetentionJob_BeforeThePeriodEnds_ErasesNothing_ButFinishesAnInterruptedErasure()
    {
        await using var j = await JobHost.Start("retention-early", DateTimeOffset.UtcNow);
        var w = await World.Create(j.Host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: j.Clock.GetUtcNow().AddHours(-1), facts: "nog bewaren");
        await (await w.Consult(c.Id)).Read<CaseRef>();
        await (await w.Outcome(c.Id, OverlegOutcome.NoReasonableSuspicion)).Read<CaseRef>();
        await (await w.FollowUp(c.Id, FollowUp.None)).Read<CaseRef>();

        // A case that an earlier run marked erased but whose key it did not get to destroy (it stopped in between).
        var interrupted = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: j.Clock.GetUtcNow().AddHours(-1), facts: "onderbroken");
        await Sql.Execute(j.Host.ConnectionString, "UPDATE cases SET erased_at = now() WHERE id = @id", ("id", interrupted.Id));
        Assert.That(await KeyState(j.Host.KeyStoreConnectionString, interrupted.Id), Is.EqualTo("live"));

        j.Clock.Advance(TimeSpan.FromDays(700)); // under 24 months
        Assert.That(await j.Run<RetentionJob>(x => x.Run(CancellationToken.None)), Is.EqualTo("Succeeded"));
        Assert.That(await KeyState(j.Host.KeyStoreConnectionString, c.Id), Is.EqualTo("live"));
        Assert.That(await KeyState(j.Host.KeyStoreConnectionString, interrupted.Id), Is.EqualTo("destroyed"), "the next run finishes the erasure");
        Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString, "SELECT count(*) FROM cases WHERE id = @id AND erased_at IS NULL", c.Id), Is.EqualTo(1));
    }

    [Test]
    public async Task LegalHold_OtherInstitutionsBoard_NotFound_AndAnErasedCaseRefusesAHold()
    {
        var w = await World.Create(await TestHost.Get());
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await w.OtherBoard.Post($"/api/cases/{c.Id}/legal-hold", new { hold = true })).Problem(HttpStatusCode.NotFound);
        await (await w.Board.Post($"/api/cases/{c.Id}/legal-hold", new { })).Problem(HttpStatusCode.BadRequest);
        var placed = await (await w.Board.Post($"/api/cases/{c.Id}/legal-hold", new { hold = true })).Read<CaseRef>();
        Assert.That(placed.State, Is.EqualTo(CaseState.Registered), "a hold does not move the case");
        var detail = await w.Board.Case(c.Id);
        Assert.That(detail.LegalHold, Is.True);
        Assert.That(detail.Timeline.Last().Step, Is.EqualTo("LegalHoldPlaced"));
        await (await w.Board.Post($"/api/cases/{c.Id}/legal-hold", new { hold = false })).Read<CaseRef>();
        Assert.That((await w.Board.Case(c.Id)).LegalHold, Is.False);

        await Sql.Execute(w.Host.ConnectionString, "UPDATE cases SET erased_at = now() WHERE id = @id", ("id", c.Id));
        var refused = await (await w.Board.Post($"/api/cases/{c.Id}/legal-hold", new { hold = true })).Problem(HttpStatusCode.Conflict);
        Assert.That(refused.GetProperty("detail").GetString(), Does.Contain("Erased"));
    }

    private static async Task<string> KeyState(string keyStore, Guid subject) =>
        await Sql.Scalar<long>(keyStore, "SELECT count(*) FROM data_keys WHERE subject_id = @id AND wrapped_key IS NULL AND destroyed_at IS NOT NULL", subject) == 1
            ? "destroyed"
            : await Sql.Scalar<long>(keyStore, "SELECT count(*) FROM data_keys WHERE subject_id = @id AND wrapped_key IS NOT NULL", subject) == 1 ? "live" : "missing";
}
