using System.Net;
using System.Security.Cryptography;
using System.Text;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>Repeat-accused matching (docs/MATCHING.md) through the JSON API on real PostgreSQL.</summary>
public sealed class MatchingTests
{
    private World _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    private SubmitReport Report(string? name, Guid? institution = null, string? email = null, string? staffNumber = null, Guid? accusedAt = null) =>
        new(ReporterKind.Student, true, null, null, null, IncidentType.SeksueleIntimidatie, "Wat er gebeurde", "vorige week",
            institution ?? _w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly,
            name, accusedAt, email, staffNumber);

    private async Task<(Guid Id, string Code)> Submit(SubmitReport r)
    {
        var receipt = await (await _w.Anonymous.Post("/api/reports", r)).Read<ReportReceipt>(HttpStatusCode.Created);
        return (await Sql.ReportIdByReceiptCode(_w.Host.ConnectionString, receipt.ReceiptCode), receipt.ReceiptCode);
    }

    private async Task<IReadOnlyList<MatchView>> MatchesOf(Guid report) =>
        await _w.Handler.GetJson<List<MatchView>>($"/api/meldpunt/reports/{report}/matches");

    private static bool Pairs(MatchView m, Guid a, Guid b) =>
        (m.First.Id == a && m.Second.Id == b) || (m.First.Id == b && m.Second.Id == a);

    private static string Unique() => "Jan " + Guid.NewGuid().ToString("N")[..8];

    [Test]
    public async Task Threshold_OneReportAlone_IsNoMatch_TwoIndependent_Match()
    {
        var name = Unique();
        var first = await Submit(Report(name));
        Assert.That(await MatchesOf(first.Id), Is.Empty);
        Assert.That((await _w.Handler.GetJson<List<MatchView>>("/api/meldpunt/matches")).Where(m => m.First.Id == first.Id || m.Second.Id == first.Id), Is.Empty);

        // The second names the same person in another spelling.
        var second = await Submit(Report("  " + name.ToUpperInvariant().Replace("JAN", "Ján") + " "));
        var matches = await MatchesOf(first.Id);
        Assert.That(matches, Has.Count.EqualTo(1));
        Assert.That(Pairs(matches[0], first.Id, second.Id), Is.True);
        Assert.That(matches[0].SharedBy, Is.EqualTo(new[] { AccusedIdentifierKind.NameAtInstitution }));
        Assert.That((await _w.Handler.GetJson<List<MatchView>>("/api/meldpunt/matches")).Count(m => Pairs(m, first.Id, second.Id)), Is.EqualTo(1));

        var detail = await _w.Handler.GetJson<MatchDetail>($"/api/meldpunt/matches/{first.Id}/{second.Id}");
        Assert.That(new[] { detail.First.Id, detail.Second.Id }, Is.EquivalentTo(new[] { first.Id, second.Id }));
        Assert.That(detail.First.AccusedName, Is.EqualTo(name));
    }

    [Test]
    public async Task Independence_ReportAndItsOwnFollowUp_IsNoMatch()
    {
        var email = $"{Guid.NewGuid():N}@uni.example";
        var report = await Submit(Report(Unique(), email: email));
        // The reporter adds in the dialogue what the handler then records on the same report: still one reporter.
        await (await _w.Anonymous.Post("/api/reports/messages", new { receiptCode = report.Code, text = "Zijn adres is " + email })).Read<ReportStatusView>();
        using var put = await _w.Handler.PutAsync($"/api/meldpunt/reports/{report.Id}/accused",
            System.Net.Http.Json.JsonContent.Create(new { accusedName = "x", accusedEmail = "MAILTO:" + email.ToUpperInvariant() }));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(await MatchesOf(report.Id), Is.Empty);
        Assert.That(await Sql.Scalar<long>(_w.Host.ConnectionString, "SELECT count(*) FROM accused_identifiers WHERE report_id = @id", report.Id), Is.EqualTo(2));
    }

    [Test]
    public async Task SameNameAtDifferentInstitutions_NoMatch_UnlessTheEmailLinksThem()
    {
        var other = await World.Institution(_w.Admin, "Derde instelling " + Guid.NewGuid().ToString("N")[..6], Sector.Ho);
        var name = Unique();
        var here = await Submit(Report(name));
        var there = await Submit(Report(name, institution: other.Id));
        Assert.That(await MatchesOf(here.Id), Is.Empty, "two people of one name at two institutions are two people");

        // A staff number is an institution's own as well.
        var n1 = await Submit(Report(null, staffNumber: "P-" + name[4..]));
        var n2 = await Submit(Report(null, institution: other.Id, staffNumber: "P-" + name[4..]));
        Assert.That(await MatchesOf(n1.Id), Is.Empty);

        // The same e-mail address links across institutions.
        var email = $"{Guid.NewGuid():N}@uni.example";
        var linked = Unique();
        var a = await Submit(Report(linked, email: email));
        var b = await Submit(Report(linked, institution: other.Id, email: "  " + email.Replace("@", "+hr@").ToUpperInvariant()));
        var matches = await MatchesOf(a.Id);
        Assert.That(matches, Has.Count.EqualTo(1));
        Assert.That(Pairs(matches[0], a.Id, b.Id), Is.True);
        Assert.That(matches[0].SharedBy, Is.EqualTo(new[] { AccusedIdentifierKind.Email }));
        Assert.That(n2.Id, Is.Not.EqualTo(there.Id));
    }

    [Test]
    public async Task DatabaseCopyWithoutTheKey_CannotBeSearchedForAName()
    {
        var name = Unique();
        var report = await Submit(Report(name, email: "zoek.mij@uni.example", staffNumber: "AB123"));
        var cs = _w.Host.ConnectionString;
        var canonical = AccusedNormalizer.Canonical(AccusedIdentifierKind.NameAtInstitution, AccusedNormalizer.Name(name)!, _w.InstitutionId);
        async Task<long> Found(byte[] hash) =>
            await Sql.Scalar<long>(cs, "SELECT count(*) FROM accused_identifiers WHERE hash = @h", ("h", hash));

        Assert.Multiple(async () =>
        {
            // No plaintext anywhere in the two tables (the sealed columns are ciphertext).
            foreach (var needle in new[] { name, name.ToLowerInvariant(), "zoek.mij", "AB123" })
                Assert.That(await Sql.Scalar<long>(cs, """
                    SELECT (SELECT count(*) FROM accused_identifiers i WHERE i.report_id = @id AND (i::text ILIKE '%' || @n || '%'))
                         + (SELECT count(*) FROM report_accused a WHERE a.report_id = @id AND (a::text ILIKE '%' || @n || '%'))
                    """, ("id", report.Id), ("n", needle)), Is.Zero, needle);
            // Someone with the copy who guesses the name and knows the normalisation still cannot make the hash.
            Assert.That(await Found(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), Is.Zero, "unkeyed hash");
            Assert.That(await Found(HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), Encoding.UTF8.GetBytes(canonical))), Is.Zero, "wrong key");
            // With the key it is found: the test above can fail.
            Assert.That(await Found(HMACSHA256.HashData(Convert.FromBase64String(TestHost.TestMatchingKey), Encoding.UTF8.GetBytes(canonical))), Is.EqualTo(1), "right key");
        });
    }

    [Test]
    public async Task EveryShowingOfAMatch_IsInTheAuditTrailOfBothReports()
    {
        var name = Unique();
        var a = await Submit(Report(name));
        var b = await Submit(Report(name));
        async Task<long> Entries(Guid id, string action) =>
            await Sql.Scalar<long>(_w.Host.ConnectionString, "SELECT count(*) FROM audit_entries WHERE subject_id = @id AND action = @a", ("id", id), ("a", action));

        await MatchesOf(a.Id);
        await _w.Handler.GetJson<List<MatchView>>("/api/meldpunt/matches");
        await _w.Handler.GetJson<MatchDetail>($"/api/meldpunt/matches/{a.Id}/{b.Id}");
        await _w.Handler.GetJson<MatchDetail>($"/api/meldpunt/matches/{b.Id}/{a.Id}");
        Assert.Multiple(async () =>
        {
            Assert.That(await Entries(a.Id, "match:listed"), Is.EqualTo(2));
            Assert.That(await Entries(b.Id, "match:listed"), Is.EqualTo(2));
            Assert.That(await Entries(a.Id, "match:shown"), Is.EqualTo(2));
            Assert.That(await Entries(b.Id, "match:shown"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task OtherRoles_AreRefused_AndTheReporterLearnsNothing()
    {
        var name = Unique();
        var a = await Submit(Report(name));
        var before = await (await _w.Anonymous.Post("/api/reports/status", new { receiptCode = a.Code })).Content.ReadAsStringAsync();
        var b = await Submit(Report(name));
        Assert.That(await MatchesOf(a.Id), Has.Count.EqualTo(1));

        foreach (var client in new[] { _w.Board, _w.OtherBoard, _w.Inspector, _w.Staff, _w.Admin })
        foreach (var url in new[] { "/api/meldpunt/matches", $"/api/meldpunt/matches/{a.Id}/{b.Id}", $"/api/meldpunt/reports/{a.Id}/matches", $"/api/meldpunt/reports/{a.Id}/accused" })
        {
            using var r = await client.GetAsync(url);
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), url);
        }
        // The reporter's view of their report is word for word what it was before the second report came in.
        var after = await (await _w.Anonymous.Post("/api/reports/status", new { receiptCode = a.Code })).Content.ReadAsStringAsync();
        Assert.That(after, Is.EqualTo(before));
        Assert.That(after, Does.Not.Contain(b.Id.ToString()).And.Not.Contain("match").IgnoreCase);
    }

    [Test]
    public async Task Handler_CorrectsTheAccused_AndTheMatchFollows()
    {
        var a = await Submit(Report(Unique()));
        var b = await Submit(Report(Unique()));
        Assert.That(await MatchesOf(a.Id), Is.Empty);
        var named = await _w.Handler.GetJson<AccusedView>($"/api/meldpunt/reports/{a.Id}/accused");
        using var put = await _w.Handler.PutAsync($"/api/meldpunt/reports/{b.Id}/accused",
            System.Net.Http.Json.JsonContent.Create(new { accusedName = named.Name }));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await MatchesOf(a.Id), Has.Count.EqualTo(1));

        using var bad = await _w.Handler.PutAsync($"/api/meldpunt/reports/{b.Id}/accused",
            System.Net.Http.Json.JsonContent.Create(new { accusedEmail = "geen adres" }));
        var problem = await bad.Problem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("accusedEmail", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task RotatingTheMatchingKey_RehashesFromTheSealedPlaintext()
    {
        var oldKey = TestHost.TestMatchingKey;
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var host = await TestHost.Get("matching-rotation", new Dictionary<string, string?>
        {
            ["Matching:ActiveKeyId"] = "match-1", ["Matching:Keys:match-1"] = oldKey,
        });
        var w = await World.Create(host);
        var name = Unique();
        async Task<Guid> File(string n)
        {
            var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
                "x", "y", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly, n)))
                .Read<ReportReceipt>(HttpStatusCode.Created);
            return await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);
        }
        var a = await File(name);

        // A second host over the same database with the new key active (the old one still configured).
        var rotated = await TestHost.Get("matching-rotation-2", new Dictionary<string, string?>
        {
            ["Matching:ActiveKeyId"] = "match-2", ["Matching:Keys:match-1"] = oldKey, ["Matching:Keys:match-2"] = newKey,
        }, connectionString: host.ConnectionString, keyStoreConnectionString: host.KeyStoreConnectionString);
        var admin = await World.SignIn(rotated, TestHost.AdminEmail, TestHost.AdminPassword);
        var status = await (await admin.PostAsync("/api/admin/matching-keys/rehash", null)).Read<MatchingKeyStatusView>();
        Assert.That(status.ActiveKeyVersion, Is.EqualTo("match-2"));
        Assert.That(status.IdentifiersByKeyVersion.Keys, Is.EqualTo(new[] { "match-2" }));
        Assert.That(status.ReportsRehashed, Is.GreaterThanOrEqualTo(1));

        var canonical = Encoding.UTF8.GetBytes(AccusedNormalizer.Canonical(AccusedIdentifierKind.NameAtInstitution, AccusedNormalizer.Name(name)!, w.InstitutionId));
        Assert.That(await Sql.Scalar<byte[]>(host.ConnectionString, "SELECT hash FROM accused_identifiers WHERE report_id = @id", a),
            Is.EqualTo(HMACSHA256.HashData(Convert.FromBase64String(newKey), canonical)));
        await TestHost.Discard(rotated);
        await TestHost.Discard(host);
    }

    [Test]
    public async Task TwoReportsUnderOneReceiptCode_AreNoMatch()
    {
        // Today every report has its own code (a unique index); the rule does not rest on that index. In a database of
        // its own the index is dropped and a second report is given the first one's code, as if one reporter filed twice.
        var host = await TestHost.Get("matching-samecode", ownDatabase: true);
        var w = await World.Create(host);
        var name = Unique();
        async Task<(Guid, string)> File()
        {
            var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
                "x", "y", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly, name)))
                .Read<ReportReceipt>(HttpStatusCode.Created);
            return (await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode), receipt.ReceiptCode);
        }
        var (a, code) = await File();
        var (b, _) = await File();
        Assert.That(await w.Handler.GetJson<List<MatchView>>($"/api/meldpunt/reports/{a}/matches"), Has.Count.EqualTo(1), "two codes: a match");

        await Sql.Execute(host.ConnectionString, "DROP INDEX ix_reports_receipt_hash");
        await Sql.Execute(host.ConnectionString, "UPDATE reports SET receipt_hash = @h WHERE id = @id", ("h", ReceiptCode.Hash(code)), ("id", b));
        Assert.That(await w.Handler.GetJson<List<MatchView>>($"/api/meldpunt/reports/{a}/matches"), Is.Empty, "one code: the same reporter twice");
        await TestHost.Discard(host);
    }
    [Test]
    public async Task NewMatch_QueuesOneContentFreeNoticeToTheMeldpunt()
    {
        // A host of its own, so that no other test's match adds a notice to the count.
        var host = await TestHost.Get("matching-notice", new Dictionary<string, string?> { ["Notifications:MeldpuntEmail"] = "meldpunt-team@test.casehandling.nl" });
        var w = await World.Create(host);
        var name = Unique();
        async Task<(Guid Id, string Number)> File(string n)
        {
            var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
                "Geheim verhaal", "y", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly, n)))
                .Read<ReportReceipt>(HttpStatusCode.Created);
            var id = await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);
            return (id, await Sql.Scalar<string>(host.ConnectionString, "SELECT number FROM reports WHERE id = @id", id));
        }
        async Task<long> Notices() => await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM outbox_messages WHERE kind = 'MatchNotice'");

        var a = await File(name);
        Assert.That(await Notices(), Is.Zero, "one report alone");
        var b = await File(name);
        Assert.That(await Notices(), Is.EqualTo(1));
        var to = await Sql.Scalar<string>(host.ConnectionString, "SELECT to_address FROM outbox_messages WHERE kind = 'MatchNotice'");
        var mail = await Sql.Scalar<string>(host.ConnectionString, "SELECT subject || ' ' || body || ' ' || reference FROM outbox_messages WHERE kind = 'MatchNotice'");
        Assert.That(to, Is.EqualTo("meldpunt-team@test.casehandling.nl"));
        Assert.That(mail, Does.Contain("/portaal/meldingen/overeenkomsten")
            .And.Not.Contain(name).And.Not.Contain(a.Number).And.Not.Contain(b.Number).And.Not.Contain("Geheim").And.Not.Contain(a.Id.ToString()));

        // The handler saves the same accused again: nothing new, no second notice.
        using var put = await w.Handler.PutAsync($"/api/meldpunt/reports/{b.Id}/accused", System.Net.Http.Json.JsonContent.Create(new { accusedName = name }));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Notices(), Is.EqualTo(1));
        await TestHost.Discard(host);
    }
}
