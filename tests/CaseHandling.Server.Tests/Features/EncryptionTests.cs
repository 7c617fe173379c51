using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using Npgsql;

namespace CaseHandling.Server.Tests.Features;

/// <summary>Encryption at rest (docs/ENCRYPTION.md): what someone holding the database sees, and key rotation.</summary>
public sealed class EncryptionTests
{
    /// <summary>A marker of this run, so that a hit can only come from this test.</summary>
    private static string Marker(string tag) => $"{tag}{Guid.NewGuid():N}"[..20];

    [Test]
    public async Task MarkersInEveryField_RawTablesHoldNone_EveryFieldReadsBack()
    {
        var w = await World.Create(await TestHost.Get());
        var m = Marker("ZEGEL");

        // The meldpunt: every field of a report, a dialogue both ways, consent for everything, forwarded to the board.
        var reporter = w.Host.CreateClient();
        var receipt = await (await reporter.Post("/api/reports", new SubmitReport(ReporterKind.Student, false, m + "-naam", m + "-mail@example.org",
            m + "-tel", IncidentType.Zedenmisdrijf, m + "-wat", m + "-wanneer", w.InstitutionId, m + "-afdeling", AccusedRole.MetTakenBelastPersoon,
            VictimWho.Reporter, VictimAgeAnswer.Minor, Destination.InstitutionToo))).Read<ReportReceipt>(HttpStatusCode.Created);
        var reportId = await Sql.ReportIdByReceiptCode(w.Host.ConnectionString, receipt.ReceiptCode);
        await (await w.Handler.Post($"/api/meldpunt/reports/{reportId}/messages", new { kind = "Message", text = m + "-vraag" })).Read<ReportRef>();
        await (await reporter.Post("/api/reports/messages", new { receiptCode = receipt.ReceiptCode, text = m + "-antwoord" })).Read<ReportStatusView>();
        await (await reporter.Post("/api/reports/consent", new { receiptCode = receipt.ReceiptCode, items = new[] { "Description", "ContactDetails", "Messages" } }))
            .Read<ReportStatusView>();
        var forwarded = await (await w.Handler.Post($"/api/meldpunt/reports/{reportId}/forward", new { })).Read<ForwardedRef>();

        // Step 1 by a staff member, and a board's case through the whole chain, with text in every free field.
        await (await w.Staff.Post("/api/staff-notifications", new NotifyBoard(IncidentType.Zedenmisdrijf,
            new VictimInput(VictimKind.Student, VictimAge.Minor, false), AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddHours(-1), m + "-melding")))
            .Read<NotificationReceipt>(HttpStatusCode.Created);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: m + "-feiten");
        await (await w.Board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = w.InspectorId, factsGiven = m + "-overleg" })).Read<CaseRef>();
        await (await w.Inspector.Post($"/api/cases/{c.Id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = m + "-onderbouwing" })).Read<CaseRef>();
        await (await w.Board.Post($"/api/cases/{c.Id}/informing-impossible", new { reason = m + "-reden" })).Read<CaseRef>();
        await (await w.Board.Post($"/api/cases/{c.Id}/aangifte", new { filedOn = DateOnly.FromDateTime(DateTime.UtcNow), policeUnit = m + "-eenheid", registrationNumber = m + "-pv" }))
            .Read<CaseRef>();
        await (await w.NotifyInspector(c.Id)).Read<CaseRef>();
        await (await w.Board.Post($"/api/cases/{c.Id}/follow-up", new { followUp = "EmploymentMeasures", reasoning = m + "-vervolg" })).Read<CaseRef>();

        // Someone holding a copy of the database (every schema, Hangfire's too) or of the key store finds none of it.
        Assert.That(await DatabaseScan.ColumnsContaining(w.Host.ConnectionString, m), Is.Empty, "no marker in plaintext in the case database");
        Assert.That(await DatabaseScan.ColumnsContaining(w.Host.KeyStoreConnectionString, m), Is.Empty, "nor in the key store");
        Assert.That(await Sql.Scalar<string>(w.Host.ConnectionString, "SELECT what_happened FROM reports WHERE id = @id", reportId), Does.StartWith("ch1:"));
        Assert.That(await Sql.Scalar<string>(w.Host.ConnectionString, "SELECT informing_impossible_reason FROM cases WHERE id = @id", c.Id), Does.StartWith("ch1:"));
        Assert.That(await Sql.Scalar<bool>(w.Host.ConnectionString, "SELECT to_regclass('data_keys') IS NOT NULL"), Is.False, "the data keys live in the key store, not in the case database");

        // Everyone who may read it reads every field back.
        var report = await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{reportId}");
        Assert.That(new[] { report.ContactName, report.ContactEmail, report.ContactPhone, report.WhatHappened, report.WhenHappened, report.Department },
            Is.EqualTo(new[] { m + "-naam", m + "-mail@example.org", m + "-tel", m + "-wat", m + "-wanneer", m + "-afdeling" }));
        Assert.That(report.Messages.Select(x => x.Text), Is.EqualTo(new[] { m + "-vraag", m + "-antwoord" }));
        var status = await (await reporter.Post("/api/reports/status", new { receiptCode = receipt.ReceiptCode })).Read<ReportStatusView>();
        Assert.That(status.Messages.Select(x => x.Text), Is.EqualTo(new[] { m + "-vraag", m + "-antwoord" }));

        var fromReport = JsonSerializer.Serialize((await w.Board.Case(forwarded.CaseId)).Timeline.Select(t => t.Details));
        foreach (var part in new[] { "-wat", "-naam", "-antwoord" }) Assert.That(fromReport, Does.Contain(m + part));

        var detail = await w.Board.Case(c.Id);
        Assert.That(detail.InformingImpossibleReason, Is.EqualTo(m + "-reden"));
        var timeline = JsonSerializer.Serialize(detail.Timeline.Select(t => t.Details));
        foreach (var part in new[] { "-feiten", "-overleg", "-onderbouwing", "-eenheid", "-pv", "-vervolg" }) Assert.That(timeline, Does.Contain(m + part));
        Assert.That(JsonSerializer.Serialize((await w.Inspector.Case(c.Id)).Timeline.Select(t => t.Details)), Does.Contain(m + "-onderbouwing"));
    }

    [Test]
    public async Task SealedValue_CopiedToAnotherCase_DoesNotOpen()
    {
        var w = await World.Create(await TestHost.Get());
        var m = Marker("KOPIE");
        var a = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: m + "-a");
        var b = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: "b");
        // An attacker with write access moves case a's sealed facts into case b's first timeline entry.
        Assert.That(await Sql.Execute(w.Host.ConnectionString, """
            UPDATE case_events SET details_json = (SELECT details_json FROM case_events WHERE case_id = @a AND sequence = 1)
            WHERE case_id = @b AND sequence = 1
            """, ("a", a.Id), ("b", b.Id)), Is.EqualTo(1));
        var response = await w.Board.GetAsync($"/api/cases/{b.Id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError), "an altered ciphertext is an error, never someone else's text");
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain(m));
        Assert.That(JsonSerializer.Serialize((await w.Board.Case(a.Id)).Timeline.Select(t => t.Details)), Does.Contain(m + "-a"));
    }

    [Test]
    public async Task KeyMissingFromTheKeyStore_AnErrorNeverBlankContent()
    {
        var w = await World.Create(await TestHost.Get("missing-key"));
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: "niet leeg");
        // A wrong or older key store: the key is simply not there (and this host's memory forgets it).
        await Sql.Execute(w.Host.KeyStoreConnectionString, "DELETE FROM data_keys WHERE subject_id = @id", ("id", c.Id));
        var fresh = await TestHost.Get("missing-key-fresh", connectionString: w.Host.ConnectionString, keyStoreConnectionString: w.Host.KeyStoreConnectionString);
        var response = await On(fresh, w.Board).GetAsync($"/api/cases/{c.Id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(fresh.Logs.Lines.Any(l => l.Contains("No data key for subject") && l.Contains("KeyStore")));
    }

    [Test]
    public async Task PlaintextFromBeforeEncryption_ReadsAndIsSealedByTheRewrap()
    {
        // A host of its own: a rewrap seals every plaintext row in the database, so another test's rewrap on a shared
        // host (the access table calls every endpoint) could seal this row before the first assertions.
        var w = await World.Create(await TestHost.Get("plaintext"));
        var m = Marker("OUD");
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: "nieuw");
        // A row as an older version wrote it: plaintext details.
        await Sql.Execute(w.Host.ConnectionString, "UPDATE case_events SET details_json = @d WHERE case_id = @c AND sequence = 1",
            ("d", JsonSerializer.Serialize(new { facts = m })), ("c", c.Id));
        Assert.That(JsonSerializer.Serialize((await w.Board.Case(c.Id)).Timeline[0].Details), Does.Contain(m), "plaintext reads as it is");
        Assert.That(await DatabaseScan.ColumnsContaining(w.Host.ConnectionString, m), Is.Not.Empty);

        var result = await (await w.Admin.Post("/api/admin/keys/rewrap", new { })).Read<KeyStatusView>();
        Assert.That(result.SubjectsSealed, Is.GreaterThanOrEqualTo(1));
        Assert.That(await DatabaseScan.ColumnsContaining(w.Host.ConnectionString, m), Is.Empty, "sealed now");
        Assert.That(JsonSerializer.Serialize((await w.Board.Case(c.Id)).Timeline[0].Details), Does.Contain(m), "and reads the same");
    }

    [Test]
    public async Task Intake_KeysMadeAhead_ReportTakesAReservedKeyAndIsSealedAndReadable()
    {
        var host = await TestHost.Get("key-reserve");
        var w = await World.Create(host);
        var m = Marker("VOORAF");
        async Task<Guid> Submit(string text)
        {
            var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
                text, "gisteren", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly)))
                .Read<ReportReceipt>(HttpStatusCode.Created);
            return await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);
        }
        var first = await Submit(m + "-1"); // the reserve is empty at first: the key is made on save
        var deadline = DateTime.UtcNow.AddSeconds(60); // a wait, not an assertion: generous for a busy machine
        while (await Sql.Scalar<long>(host.KeyStoreConnectionString, "SELECT count(*) FROM data_keys") < 256 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var second = await Submit(m + "-2");

        // Made ahead: the second report's key was in the store before the report was submitted; the first one's after.
        Assert.That(await Sql.Scalar<DateTime>(host.KeyStoreConnectionString, "SELECT created_at FROM data_keys WHERE subject_id = @id", second),
            Is.LessThan(await Sql.Scalar<DateTime>(host.ConnectionString, "SELECT submitted_at FROM reports WHERE id = @id", second)));
        Assert.That(await Sql.Scalar<DateTime>(host.KeyStoreConnectionString, "SELECT created_at FROM data_keys WHERE subject_id = @id", first),
            Is.GreaterThanOrEqualTo(await Sql.Scalar<DateTime>(host.ConnectionString, "SELECT submitted_at FROM reports WHERE id = @id", first)));
        Assert.That(await Sql.Scalar<string>(host.ConnectionString, "SELECT what_happened FROM reports WHERE id = @id", second), Does.StartWith("ch1:"));
        Assert.That((await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{second}")).WhatHappened, Is.EqualTo(m + "-2"));
        Assert.That((await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{first}")).WhatHappened, Is.EqualTo(m + "-1"));
        Assert.That(await Sql.Scalar<long>(host.KeyStoreConnectionString, "SELECT count(*) FROM data_keys"), Is.GreaterThanOrEqualTo(257),
            "keys were made ahead, and the second report took one of them");
        Assert.That(await DatabaseScan.ColumnsContaining(host.ConnectionString, m), Is.Empty);
    }

    [Test]
    public async Task RotateKek_WhileRunning_ThenAFreshHostWithOnlyTheNewKeyReadsEveryCase()
    {
        var k1 = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var k2 = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var file = Path.Combine(Path.GetTempPath(), $"casehandling-kek-{Guid.NewGuid():N}.json");
        await WriteKeyFile(file, "k1", ("k1", k1));
        var cs = await TestDatabase.CreateAsync("rotation", migrate: true);
        try
        {
            var running = await TestHost.Get("rotation-running", new() { ["Encryption:KeyFile"] = file }, connectionString: cs);
            var w = await World.Create(running);
            var m = Marker("ROTATIE");
            var cases = new List<Guid>();
            for (var i = 0; i < 3; i++) cases.Add((await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: $"{m}-{i}")).Id);

            // Step 1: the new key becomes active next to the old one; the running host takes it up without a restart.
            await WriteKeyFile(file, "k2", ("k1", k1), ("k2", k2));
            cases.Add((await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: $"{m}-3")).Id);
            Assert.That(await KekOf(running.KeyStoreConnectionString, cases[0]), Is.EqualTo("k1"));
            Assert.That(await KekOf(running.KeyStoreConnectionString, cases[3]), Is.EqualTo("k2"), "new data keys are wrapped by the new key at once");

            // Step 2: re-wrap everything under the new key while the host keeps serving.
            var before = await w.Admin.GetJson<KeyStatusView>("/api/admin/keys");
            Assert.That(before.LiveDataKeysByKek["k1"], Is.GreaterThanOrEqualTo(3));
            var after = await (await w.Admin.Post("/api/admin/keys/rewrap", new { })).Read<KeyStatusView>();
            Assert.That(after.Rewrapped, Is.EqualTo(before.LiveDataKeysByKek["k1"]));
            Assert.That(after.LiveDataKeysByKek.Keys, Is.EqualTo(new[] { "k2" }));
            Assert.That(after.ActiveKeyId, Is.EqualTo("k2"));
            // The keys that sign the staff's tokens and cookies are sealed under the new key too (so the old one can go).
            var signingKeys = await Sql.Rows(cs, "SELECT xml FROM data_protection_keys");
            Assert.That(signingKeys, Is.Not.Empty);
            Assert.That(signingKeys, Has.All.Contains("kek=\"k2\"").And.All.Not.Contains("kek=\"k1\""));

            // Step 3: the old key goes. A fresh host (nothing cached) with only the new key reads every case back.
            await WriteKeyFile(file, "k2", ("k2", k2));
            var fresh = await TestHost.Get("rotation-fresh", new() { ["Encryption:KeyFile"] = file }, connectionString: cs,
                keyStoreConnectionString: running.KeyStoreConnectionString);
            // Everyone stays signed in: the tokens issued before the rotation are read by a host that never had the old key.
            var board = On(fresh, w.Board);
            Assert.That((await On(fresh, w.Admin).GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            for (var i = 0; i < cases.Count; i++)
                Assert.That(JsonSerializer.Serialize((await board.Case(cases[i])).Timeline[0].Details), Does.Contain($"{m}-{i}"));
            var all = await board.GetJson<List<CaseListItem>>("/api/cases");
            Assert.That(all.Select(x => x.Id), Is.SupersetOf(cases));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task NoKeyEncryptionKey_StartupFailsNamingTheSetting()
    {
        var cs = await TestDatabase.CreateAsync("nokek", migrate: true);
        Exception? caught = null;
        try { await TestHost.Get("no-kek", new() { ["Encryption:ActiveKeyId"] = "missing" }, connectionString: cs); }
        catch (Exception e) { caught = e; }
        Assert.That(caught?.ToString(), Does.Contain("The active key-encryption key 'missing' is not among the keys"));
        Assert.That(caught!.ToString(), Does.Not.Contain(TestHost.TestKek), "the message names key ids, never keys");
    }

    /// <summary>A client of another host with the same sign-in (the token's keys are shared through the database).</summary>
    public static HttpClient On(TestHost host, HttpClient signedIn)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signedIn.DefaultRequestHeaders.Authorization!.Parameter);
        return client;
    }

    private static async Task WriteKeyFile(string path, string active, params (string Id, string Key)[] keys)
    {
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { activeKeyId = active, keys = keys.ToDictionary(k => k.Id, k => k.Key) }));
        // A later write within the file system's timestamp resolution must still be seen as a change.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(keys.Length));
    }

    private static Task<string> KekOf(string keyStore, Guid subject) =>
        Sql.Scalar<string>(keyStore, "SELECT kek_id FROM data_keys WHERE subject_id = @id", subject);

}
