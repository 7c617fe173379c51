using System.Net;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>The meld-/steunpunt through the JSON API on real PostgreSQL.</summary>
public sealed class ReportTests
{
    private World _w = null!;
    private HttpClient Reporter => _w.Anonymous;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    private SubmitReport Report(ReporterKind kind = ReporterKind.Student, IncidentType type = IncidentType.SeksueleIntimidatie,
        AccusedRole accused = AccusedRole.MetTakenBelastPersoon, bool anonymous = true, string text = "Wat er gebeurde") =>
        new(kind, anonymous, anonymous ? null : "Sam de Vries", anonymous ? null : "sam@example.org", null, type, text, "vorige week",
            _w.InstitutionId, "Faculteit X", accused, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly);

    private async Task<ReportReceipt> Submit(SubmitReport r) =>
        await (await Reporter.Post("/api/reports", r)).Read<ReportReceipt>(HttpStatusCode.Created);

    private async Task<ReportStatusView> Status(string code) =>
        await (await Reporter.Post("/api/reports/status", new { receiptCode = code })).Read<ReportStatusView>();

    /// <summary>The report as the handler's inbox lists it, looked up by its number (its id found by the receipt code's hash).</summary>
    private async Task<ReportInboxItem> InboxItem(ReportReceipt receipt)
    {
        var id = await Sql.ReportIdByReceiptCode(_w.Host.ConnectionString, receipt.ReceiptCode);
        // By its number: the inbox itself lists at most ListReports.Limit reports, and this suite's database holds many.
        var number = (await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}")).Number;
        return (await _w.Handler.GetJson<List<ReportInboxItem>>($"/api/meldpunt/reports?number={number}")).Single(i => i.Id == id);
    }

    [Test]
    public async Task Submit_Anonymous_ReceiptCodeFindsStatusAndHandlerSeesServiceLevel()
    {
        var receipt = await Submit(Report());
        Assert.That(receipt.ReceiptCode, Does.Match("^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$"));
        Assert.That(receipt.ForwardedToBoard, Is.False);

        var status = await Status(receipt.ReceiptCode.ToLowerInvariant().Replace("-", " "));
        Assert.That(status.Status, Is.EqualTo(ReportStatus.Received));
        Assert.That(status.Messages, Is.Empty);

        var item = await InboxItem(receipt);
        Assert.That(item.NextDuty, Is.EqualTo(DutyKind.MeldpuntAcknowledgement));
        Assert.That(item.SubmittedAt, Is.EqualTo(receipt.SubmittedAt).Within(TimeSpan.FromMilliseconds(0.5)), "the receipt gives the stored time");
        // Both from the database: PostgreSQL keeps microseconds, the receipt's time has the clock's ticks, so on a day
        // when the 7 days need no moving, due minus the receipt's time comes out a fraction of a microsecond short.
        var days = (item.NextDueAt!.Value - item.SubmittedAt).TotalDays;
        Assert.That(days, Is.InRange(7, 10), "7 calendar days, moved past a weekend or holiday");
    }

    [Test]
    public async Task Dialogue_HandlerAcknowledgesAndAsks_ReporterReadsAndReplies()
    {
        var receipt = await Submit(Report());
        var id = (await InboxItem(receipt)).Id;
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Acknowledgement", text = "Dank voor uw melding." })).Read<ReportRef>();
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Message", text = "Wanneer precies?" })).Read<ReportRef>();

        var status = await Status(receipt.ReceiptCode);
        Assert.That(status.Status, Is.EqualTo(ReportStatus.InProgress));
        Assert.That(status.Messages.Select(m => m.Text), Is.EqualTo(new[] { "Dank voor uw melding.", "Wanneer precies?" }));

        var replied = await (await Reporter.Post("/api/reports/messages", new { receiptCode = receipt.ReceiptCode, text = "Dinsdagavond." })).Read<ReportStatusView>();
        Assert.That(replied.Messages.Last().Author, Is.EqualTo(MessageAuthor.Reporter));

        var detail = await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}");
        Assert.That(detail.Messages.Select(m => (m.Author, m.Text)).Last(), Is.EqualTo((MessageAuthor.Reporter, "Dinsdagavond.")));
        Assert.That(detail.Duties.Single(d => d.Kind == DutyKind.MeldpuntAcknowledgement).Status, Is.EqualTo(DutyStatus.Met));
        var feedback = detail.Duties.Single(d => d.Kind == DutyKind.MeldpuntFeedback);
        Assert.That(feedback.Status, Is.EqualTo(DutyStatus.Open));
        Assert.That((feedback.DueAt - feedback.OpenedAt).TotalDays, Is.InRange(89, 95), "three months after the acknowledgement");
        Assert.That(feedback.LegalBasis, Does.Contain("2019/1937"));

        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Feedback", text = "Wij hebben het besproken." })).Read<ReportRef>();
        detail = await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}");
        Assert.That(detail.Duties.All(d => d.Status == DutyStatus.Met));
    }

    [Test]
    public async Task Consent_GivenForDescriptionOnly_ForwardOpensBoardCaseWithOnlyThat()
    {
        var receipt = await Submit(Report(anonymous: false, type: IncidentType.Zedenmisdrijf, text: "Beschrijving voor het bestuur"));
        var id = (await InboxItem(receipt)).Id;
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/forward", new { })).Problem(HttpStatusCode.Forbidden);

        var given = await (await Reporter.Post("/api/reports/consent", new { receiptCode = receipt.ReceiptCode, items = new[] { "Description", "ContactDetails" } }))
            .Read<ReportStatusView>();
        Assert.That(given.CanWithdrawConsent);
        var withdrawn = await (await Reporter.Post("/api/reports/consent/withdraw", new { receiptCode = receipt.ReceiptCode })).Read<ReportStatusView>();
        Assert.That(withdrawn.ConsentItems, Is.EqualTo(ForwardItems.None));
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/forward", new { })).Problem(HttpStatusCode.Forbidden);
        await (await Reporter.Post("/api/reports/consent", new { receiptCode = receipt.ReceiptCode, items = new[] { "Description" } })).Read<ReportStatusView>();

        var before = DateTimeOffset.UtcNow;
        var forwarded = await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/forward", new { victimAge = "Adult" })).Read<ForwardedRef>();
        Assert.That(forwarded.ForwardedItems, Is.EqualTo(ForwardItems.Description));

        var c = await _w.Board.Case(forwarded.CaseId);
        Assert.That(c.OpenedVia, Is.EqualTo(OpenedVia.MeldpuntForwarding));
        Assert.That(c.BoardLearnedAt, Is.GreaterThanOrEqualTo(before.AddSeconds(-1)), "the duties run from the moment the board learns of it");
        Assert.That(c.Duties.Select(d => d.Kind), Is.EquivalentTo(new[] { DutyKind.StartOverleg }));
        var opened = c.Timeline.First().Details;
        Assert.That(opened.GetProperty("facts").GetString(), Is.EqualTo("Beschrijving voor het bestuur"));
        Assert.That(opened.TryGetProperty("contact", out _), Is.False, "contact details were not consented to");
        Assert.That(JsonSerializer.Serialize(c), Does.Not.Contain("sam@example.org"));

        var status = await Status(receipt.ReceiptCode);
        Assert.That(status.Status, Is.EqualTo(ReportStatus.Forwarded));
        await (await Reporter.Post("/api/reports/consent/withdraw", new { receiptCode = receipt.ReceiptCode })).Problem(HttpStatusCode.Conflict);
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/forward", new { })).Problem(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Forward_JoinExistingCase_ReportAppearsOnThatCasesTimeline()
    {
        var existing = await _w.Register(IncidentType.SeksueleIntimidatie, VictimAge.Adult);
        var receipt = await Submit(Report(text: "Aanvulling op een lopende zaak"));
        var id = (await InboxItem(receipt)).Id;
        await (await Reporter.Post("/api/reports/consent", new { receiptCode = receipt.ReceiptCode, items = new[] { "Description" } })).Read<ReportStatusView>();

        var bad = await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/forward", new { joinCaseNumber = "CH-999999" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(bad.GetProperty("errors").TryGetProperty("joinCaseNumber", out _));

        var joined = await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/forward", new { joinCaseNumber = existing.Number })).Read<ForwardedRef>();
        Assert.That(joined.CaseId, Is.EqualTo(existing.Id));
        var c = await _w.Board.Case(existing.Id);
        var entry = c.Timeline.Single(t => t.Step == "MeldpuntReportJoined");
        Assert.That(entry.Details.GetProperty("facts").GetString(), Is.EqualTo("Aanvulling op een lopende zaak"));
        Assert.That(c.State, Is.EqualTo(CaseState.Registered), "joining changes neither state nor duties");
        Assert.That(c.Duties, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Submit_StaffMemberReportsZedenmisdrijfByStaff_ForwardedAsStepOneWithoutConsent()
    {
        var receipt = await Submit(Report(kind: ReporterKind.StaffMember, type: IncidentType.Zedenmisdrijf) with { VictimWho = VictimWho.SomeoneElse, VictimAge = VictimAgeAnswer.Minor });
        Assert.That(receipt.ForwardedToBoard, Is.True);
        Assert.That(receipt.Status, Is.EqualTo(ReportStatus.Forwarded));
        var status = await Status(receipt.ReceiptCode);
        Assert.That(status.StatutoryForwarding, Is.True);

        var cases = await _w.Board.GetJson<List<CaseListItem>>("/api/cases");
        var c = await _w.Board.Case(cases.Single().Id);
        Assert.That(c.OpenedVia, Is.EqualTo(OpenedVia.MeldpuntForwarding));
        Assert.That(c.Coverage, Is.EqualTo(Coverage.Full));
        Assert.That(c.Timeline.First().Details.GetProperty("statutoryForwarding").GetString(), Is.EqualTo("true"));
    }

    [Test]
    public async Task Submit_StudentReport_NotForwardedWithoutConsent()
    {
        await Submit(Report(type: IncidentType.Zedenmisdrijf));
        Assert.That(await _w.Board.GetJson<List<CaseListItem>>("/api/cases"), Is.Empty);
    }

    [Test]
    public async Task Code_WrongNonExistentAndMalformed_SameAnswer()
    {
        var receipt = await Submit(Report());
        var real = receipt.ReceiptCode;
        var wrong = (real[0] == '0' ? "1" : "0") + real[1..];
        var answers = new List<string>();
        foreach (var code in new[] { wrong, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "not a code at all", "" + new string('A', 25) })
        {
            var r = await Reporter.Post("/api/reports/status", new { receiptCode = code });
            var p = await r.Problem(HttpStatusCode.NotFound);
            answers.Add($"{p.GetProperty("title")}|{p.GetProperty("detail")}|{p.GetProperty("type")}");
        }
        Assert.That(answers.Distinct().Count(), Is.EqualTo(1), string.Join("\n", answers));
        await (await Reporter.Post("/api/reports/messages", new { receiptCode = wrong, text = "x" })).Problem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Submit_EveryFieldTooLongOrMissing_BadRequestPerField()
    {
        var tooLong = Report(anonymous: false) with
        {
            WhatHappened = new string('x', 20_001), WhenHappened = new string('x', 201), Department = new string('x', 201),
            ContactName = new string('x', 201), ContactEmail = new string('x', 321), ContactPhone = new string('1', 41),
        };
        var p = await (await Reporter.Post("/api/reports", tooLong)).Problem(HttpStatusCode.BadRequest);
        var fields = p.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.That(fields, Is.SupersetOf(new[] { "whatHappened", "whenHappened", "department", "contactName", "contactEmail", "contactPhone" }));

        var missing = await (await Reporter.Post("/api/reports", new { anonymous = false })).Problem(HttpStatusCode.BadRequest);
        Assert.That(missing.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.SupersetOf(new[]
        {
            "reporterKind", "incidentType", "whatHappened", "whenHappened", "institutionId", "accusedRole", "victimWho", "victimAge", "destination", "contactEmail",
        }));
        var unknownInstitution = await (await Reporter.Post("/api/reports", Report() with { InstitutionId = Guid.NewGuid() })).Problem(HttpStatusCode.BadRequest);
        Assert.That(unknownInstitution.GetProperty("errors").TryGetProperty("institutionId", out _));
    }

    [Test]
    public async Task Meldpunt_OtherRoles_ForbiddenAnonymousUnauthorized()
    {
        foreach (var client in new[] { _w.Board, _w.Inspector, _w.Admin, _w.Staff })
            Assert.That((await client.GetAsync("/api/meldpunt/reports")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Reporter.GetAsync("/api/meldpunt/reports")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await _w.Handler.GetAsync($"/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Submit_MarkerInEveryField_NotInLogsAndNoIpOrUserAgentStored()
    {
        const string m = "MELDMARKER-5e1d";
        const string agent = "Mozilla/5.0 UAMARKER-91c2";
        var host = _w.Host;
        var client = host.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(agent);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.77");
        var r = await (await client.Post("/api/reports", new SubmitReport(ReporterKind.Student, false, m + " naam", m + "@example.org", "06" + "12345678",
            IncidentType.Bullying, m + " wat", m + " wanneer", _w.InstitutionId, m + " afdeling", AccusedRole.FellowStudent, VictimWho.Reporter,
            VictimAgeAnswer.Minor, Destination.InstitutionToo))).Read<ReportReceipt>(HttpStatusCode.Created);
        await client.Post("/api/reports/messages", new { receiptCode = r.ReceiptCode, text = m + " bericht" });
        await client.Post("/api/reports/status", new { receiptCode = r.ReceiptCode });

        var stored = await (await _w.Handler.GetAsync($"/api/meldpunt/reports/{(await InboxItem(r)).Id}")).Read<JsonElement>();
        Assert.That(stored.GetProperty("whatHappened").GetString(), Is.EqualTo(m + " wat"), "the content was stored and reads back");
        Assert.That(await DatabaseScan.ColumnsContaining(host.ConnectionString, m), Is.Empty, "the content is sealed at rest");
        Assert.That(host.Logs.Lines.Where(l => l.Contains(m)), Is.Empty, "no report content in the logs");
        Assert.That(host.Logs.Lines.Where(l => l.Contains(r.ReceiptCode)), Is.Empty, "no receipt code in the logs");
        Assert.That(await DatabaseScan.ColumnsContaining(host.ConnectionString, "UAMARKER-91c2"), Is.Empty, "no user agent stored");
        Assert.That(await DatabaseScan.ColumnsContaining(host.ConnectionString, "203.0.113.77"), Is.Empty, "no forwarded IP address stored");
        Assert.That(await DatabaseScan.ColumnsContaining(host.ConnectionString, r.ReceiptCode), Is.Empty, "the receipt code itself is not stored");
    }
}

/// <summary>
/// Alone: the limits are token buckets that get one token back every second, so the test counts on its requests
/// coming in quickly; next to other fixtures on a busy machine a token may come back in the middle.
/// </summary>
[NonParallelizable]
public sealed class ReporterRateLimitTests
{
    [Test]
    public async Task CodeAttempts_OverTheLimit_TooManyRequestsWithoutIdentifyingAnyone()
    {
        var host = await TestHost.Get("rate-limit", new() { ["ReporterRateLimits:CodeAttemptsPerMinute"] = "5", ["ReporterRateLimits:SubmissionsPerMinute"] = "3" });
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
            codes.Add((await host.CreateClient().Post("/api/reports/status", new { receiptCode = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" })).StatusCode);
        Assert.That(codes.Take(5), Is.All.EqualTo(HttpStatusCode.NotFound));
        Assert.That(codes.Skip(5), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        var limited = await host.CreateClient().Post("/api/reports/status", new { receiptCode = "x" });
        await limited.Problem(HttpStatusCode.TooManyRequests);

        var submits = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) submits.Add((await host.CreateClient().Post("/api/reports", new { })).StatusCode);
        Assert.That(submits.Take(3), Is.All.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(submits.Skip(3), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
    }
}
