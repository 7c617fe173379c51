using System.Net;
using Microsoft.Extensions.DependencyInjection;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// An oral report (EU directive 2019/1937 art. 9 lid 2, art. 18): the handler writes it down, the clock runs from the
/// call, the reporter reads the account with the code, corrects and approves it; every version and the approval are
/// kept and shown to the handler. And the language a reporter used, kept for the handler.
/// </summary>
public sealed class OralReportTests
{
    private static object Facts(World w, string text) => new
    {
        reporterKind = "Student", anonymous = true, incidentType = "SeksueleIntimidatie", whatHappened = text, whenHappened = "vorige maand",
        institutionId = w.InstitutionId, accusedRole = "MetTakenBelastPersoon", victimWho = "Reporter", victimAge = "Adult", destination = "MeldpuntOnly",
        language = "tr",
    };

    private static Task<HttpResponseMessage> Record(World w, DateTimeOffset at, object? report, string channel = "Phone", bool recording = true) =>
        w.Handler.Post("/api/meldpunt/reports/oral", new { channel, receivedAt = at, recordingExists = recording, report });

    private static async Task<ReportStatusView> Status(World w, string code) =>
        await (await w.Anonymous.Post("/api/reports/status", new { receiptCode = code })).Read<ReportStatusView>();

    [Test]
    public async Task Recorded_ClockFromTheCall_ReporterCorrectsAndApproves_EveryVersionKept()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        // The call was two days ago; the handler types it up now.
        var call = DateTimeOffset.UtcNow.AddDays(-2).AddMinutes(-17);
        call = call.AddTicks(-(call.Ticks % TimeSpan.TicksPerMillisecond)); // PostgreSQL keeps microseconds
        var marker = $"MONDELING{Guid.NewGuid():N}"[..24];
        var receipt = await (await Record(w, call, Facts(w, $"{marker} de docent stuurde berichten"))).Read<OralReportReceipt>(HttpStatusCode.Created);
        Assert.That(receipt.ReceiptCode, Does.Match("^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$"), "the same code as an online report's, in five groups to read out");
        Assert.That(receipt.Number, Does.Match("^M-[0-9]{6,}$"), "the handler's reference");

        var detail = await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{receipt.Id}");
        var ack = detail.Duties.Single(d => d.Kind == DutyKind.MeldpuntAcknowledgement);
        await using var scope = host.Services.CreateAsyncScope();
        var rules = scope.ServiceProvider.GetRequiredService<DutyRules>();
        Assert.Multiple(() =>
        {
            Assert.That((detail.Channel, detail.RecordingExists, detail.Language), Is.EqualTo((ReportChannel.Phone, true, "tr")));
            Assert.That(detail.SubmittedAt, Is.EqualTo(call), "received at the call");
            Assert.That(ack.OpenedAt, Is.EqualTo(call), "the 7-day acknowledgement runs from the call, not from the typing");
            Assert.That(ack.DueAt, Is.EqualTo(rules.Schedule(DutyKind.MeldpuntAcknowledgement, call).Due));
            Assert.That(detail.AccountVersions!.Select(v => (v.Number, v.Author)), Is.EqualTo(new[] { (1, MessageAuthor.Handler) }));
            Assert.That(detail.AccountApprovedAt, Is.Null);
        });

        // The reporter, with the code only: reads version 1.
        var status = await Status(w, receipt.ReceiptCode);
        Assert.That(status.OralAccount, Is.Not.Null);
        Assert.That((status.OralAccount!.Channel, status.OralAccount.Versions.Count, status.OralAccount.CanCorrect), Is.EqualTo((ReportChannel.Phone, 1, true)));

        // Corrects it: version 2, the report's text now.
        var corrected = $"{marker} de docent stuurde berichten, ook 's nachts";
        status = await (await w.Anonymous.Post("/api/reports/account", new { receiptCode = receipt.ReceiptCode, text = corrected })).Read<ReportStatusView>();
        Assert.That(status.OralAccount!.Versions.Select(v => (v.Number, v.Author)), Is.EqualTo(new[] { (1, MessageAuthor.Handler), (2, MessageAuthor.Reporter) }));

        // Approving version 1, which is no longer the newest, is refused and says which one is.
        var stale = await (await w.Anonymous.Post("/api/reports/account/approve", new { receiptCode = receipt.ReceiptCode, version = 1 })).Problem(HttpStatusCode.Conflict);
        Assert.That(stale.GetProperty("currentState").GetString(), Is.EqualTo("AccountVersion2"));

        var before = DateTimeOffset.UtcNow;
        status = await (await w.Anonymous.Post("/api/reports/account/approve", new { receiptCode = receipt.ReceiptCode, version = 2 })).Read<ReportStatusView>();
        Assert.That((status.OralAccount!.ApprovedVersion, status.OralAccount.ApprovedAt >= before.AddSeconds(-1), status.OralAccount.CanCorrect), Is.EqualTo(((int?)2, true, false)));

        // After approval: no more corrections or revisions, by either side.
        var late = await (await w.Anonymous.Post("/api/reports/account", new { receiptCode = receipt.ReceiptCode, text = "nog iets" })).Problem(HttpStatusCode.Conflict);
        Assert.That(late.GetProperty("currentState").GetString(), Is.EqualTo("AccountApproved"));
        await (await w.Handler.Post($"/api/meldpunt/reports/{receipt.Id}/account", new { text = "herzien" })).Problem(HttpStatusCode.Conflict);

        detail = await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{receipt.Id}");
        Assert.Multiple(() =>
        {
            Assert.That(detail.WhatHappened, Is.EqualTo(corrected), "the approved version is the report's text");
            Assert.That(detail.AccountVersions!.Select(v => v.Text), Is.EqualTo(new[] { $"{marker} de docent stuurde berichten", corrected }), "every version kept");
            Assert.That(detail.AccountVersions!.Select(v => v.HandlerUserId is null), Is.EqualTo(new[] { false, true }), "the handler who wrote it; none for the reporter");
            Assert.That(detail.AccountApprovedVersion, Is.EqualTo(2));
        });

        // The timeline (audit trail) has each step, the reporter anonymous in it.
        var actions = await Sql.Rows(host.ConnectionString, "SELECT action || ' ' || role FROM audit_entries WHERE subject_id = @id ORDER BY sequence", ("id", receipt.Id));
        Assert.That(actions, Is.SupersetOf(new[] { "change:Submitted MeldpuntHandler", "change:AccountCorrected Reporter", "change:AccountApproved:2 Reporter" }));

        // Sealed at rest, every version.
        var stored = await Sql.Rows(host.ConnectionString, "SELECT text FROM report_account_versions WHERE report_id = @id", ("id", receipt.Id));
        Assert.That(stored, Has.Count.EqualTo(2).And.All.StartWith("ch1:").And.None.Contains(marker));
    }

    [Test]
    public async Task HandlerRevises_ReporterMustApproveTheNewest_AndAnOnlineReportHasNoAccount()
    {
        var w = await World.Create(await TestHost.Get());
        var receipt = await (await Record(w, DateTimeOffset.UtcNow.AddHours(-1), Facts(w, "verslag"), channel: "Meeting", recording: false))
            .Read<OralReportReceipt>(HttpStatusCode.Created);
        await (await w.Handler.Post($"/api/meldpunt/reports/{receipt.Id}/account", new { text = "verslag, aangevuld na een tweede gesprek" })).Read<ReportRef>();
        var status = await Status(w, receipt.ReceiptCode);
        Assert.That(status.OralAccount!.Versions.Select(v => v.Author), Is.EqualTo(new[] { MessageAuthor.Handler, MessageAuthor.Handler }));
        Assert.That(status.OralAccount.RecordingExists, Is.False);
        await (await w.Anonymous.Post("/api/reports/account/approve", new { receiptCode = receipt.ReceiptCode, version = 1 })).Problem(HttpStatusCode.Conflict);
        await (await w.Anonymous.Post("/api/reports/account/approve", new { receiptCode = receipt.ReceiptCode, version = 2 })).Read<ReportStatusView>();

        // A report filed online: no account to correct (409), and the reporter's status shows none.
        var online = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying, "online",
            "gisteren", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly, Language: "ar")))
            .Read<ReportReceipt>(HttpStatusCode.Created);
        Assert.That((await Status(w, online.ReceiptCode)).OralAccount, Is.Null);
        var refused = await (await w.Anonymous.Post("/api/reports/account", new { receiptCode = online.ReceiptCode, text = "x" })).Problem(HttpStatusCode.Conflict);
        Assert.That(refused.GetProperty("currentState").GetString(), Is.EqualTo("Online"));
        var id = await Sql.ReportIdByReceiptCode(w.Host.ConnectionString, online.ReceiptCode);
        var detail = await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}");
        Assert.That((detail.Channel, detail.Language, detail.AccountVersions!.Count), Is.EqualTo((ReportChannel.Online, "ar", 0)), "the language the reporter used, kept");
    }

    [Test]
    public async Task BadInput_400NamingTheField_NothingStored()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        const string Count = "SELECT count(*) FROM reports WHERE institution_id = @id";
        var count = await Sql.Scalar<long>(host.ConnectionString, Count, w.InstitutionId);

        var future = await (await Record(w, DateTimeOffset.UtcNow.AddHours(2), Facts(w, "x"))).Problem(HttpStatusCode.BadRequest);
        Assert.That(future.GetProperty("errors").TryGetProperty("receivedAt", out _), Is.True, "a call in the future");
        var old = await (await Record(w, DateTimeOffset.UtcNow.AddDays(-8), Facts(w, "x"))).Problem(HttpStatusCode.BadRequest);
        Assert.That(old.GetProperty("errors").GetProperty("receivedAt")[0].GetString(), Does.Contain("7 days"), "too late to run the clock from the call");
        var online = await (await Record(w, DateTimeOffset.UtcNow, Facts(w, "x"), channel: "Online")).Problem(HttpStatusCode.BadRequest);
        Assert.That(online.GetProperty("errors").TryGetProperty("channel", out _), Is.True);
        var missing = await (await Record(w, DateTimeOffset.UtcNow, new { reporterKind = "Student" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(missing.GetProperty("errors").TryGetProperty("report.whatHappened", out _), Is.True, "the nested report's fields named with their path");
        var noReport = await (await Record(w, DateTimeOffset.UtcNow, null)).Problem(HttpStatusCode.BadRequest);
        Assert.That(noReport.GetProperty("errors").TryGetProperty("report", out _), Is.True);
        var language = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying, "x",
            "x", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly, Language: "xx")))
            .Problem(HttpStatusCode.BadRequest);
        Assert.That(language.GetProperty("errors").GetProperty("language")[0].GetString(), Does.Contain("ar"), "the languages accepted are listed");

        Assert.That(await Sql.Scalar<long>(host.ConnectionString, Count, w.InstitutionId), Is.EqualTo(count), "nothing stored");
        await (await w.Anonymous.Post("/api/meldpunt/reports/oral", new { channel = "Phone", receivedAt = DateTimeOffset.UtcNow, report = Facts(w, "x") }))
            .Problem(HttpStatusCode.Unauthorized);
    }
}
