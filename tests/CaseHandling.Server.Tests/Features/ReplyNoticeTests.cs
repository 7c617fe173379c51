using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Mail;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The notice of a reply (docs/MELDPUNT.md): a reporter who left an address gets one fixed mail per message of the
/// meldpunt, over real SMTP (netDumbster), and the address is nowhere else: not in a dump, a log, the outbox or a view.
/// </summary>
public sealed class ReplyNoticeTests
{
    private static SubmitReport Report(World w, string? noticeEmail) => new(ReporterKind.Student, true, null, null, null,
        IncidentType.SeksueleIntimidatie, "Wat er gebeurde", "vorige week", w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon,
        VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly, NoticeEmail: noticeEmail);

    private static List<netDumbster.smtp.SmtpMessage> To(JobHost j, string address) =>
        j.Mails.Where(m => m.ToAddresses.Any(a => a.Address == address)).ToList();

    [Test]
    public async Task HandlersMessage_SendsExactlyOneFixedNotice_AndTheAddressIsNowhereElse()
    {
        await using var j = await JobHost.Start("reply-notice", DateTimeOffset.UtcNow);
        var w = await World.Create(j.Host);
        var address = $"melder-{Guid.NewGuid():N}"[..20] + "@example.org";
        var receipt = await (await w.Anonymous.Post("/api/reports", Report(w, address))).Read<ReportReceipt>(HttpStatusCode.Created);
        var id = await Sql.ReportIdByReceiptCode(j.Host.ConnectionString, receipt.ReceiptCode);

        await (await w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Acknowledgement", text = "Dank voor uw melding." })).Read<ReportRef>();
        Assert.That(await j.Deliver(), Is.EqualTo("Succeeded"));
        Assert.That(await j.Deliver(), Is.EqualTo("Succeeded"));
        var mails = To(j, address);
        Assert.That(mails, Has.Count.EqualTo(1), "one message, one notice, once");
        var number = (await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}")).Number;
        var body = mails[0].MessageParts[0].BodyData;
        Assert.That(mails[0].Headers["Subject"], Is.EqualTo(ReplyNotice.Subject));
        var link = body.Replace("\r\n", "\n").Split('\n').First(l => l.EndsWith("/opvolgen"));
        Assert.That(body.Replace("\r\n", "\n").Trim(), Is.EqualTo(ReplyNotice.Body(link).Trim()), "the fixed text, linking to the reporter's page");
        Assert.That(body, Does.Not.Contain(number).And.Not.Contain("Dank voor uw melding"), "no report number, no content");

        await (await w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Message", text = "Wanneer was het?" })).Read<ReportRef>();
        Assert.That(await j.Deliver(), Is.EqualTo("Succeeded"));
        Assert.That(To(j, address), Has.Count.EqualTo(2), "each message of the meldpunt, one notice");

        // The reporter's own reply sends nothing to them.
        await (await w.Anonymous.Post("/api/reports/messages", new { receiptCode = receipt.ReceiptCode, text = "Dinsdag." })).Read<ReportStatusView>();
        Assert.That(await j.Deliver(), Is.EqualTo("Succeeded"));
        Assert.That(To(j, address), Has.Count.EqualTo(2));

        // Nowhere else: not shown back (only that it is set), not to the handler, not in the outbox, a dump or a log.
        var status = await w.Anonymous.Post("/api/reports/status", new { receiptCode = receipt.ReceiptCode });
        var statusJson = await status.Content.ReadAsStringAsync();
        Assert.That(statusJson, Does.Contain("\"noticeEmailSet\":true").And.Not.Contain(address));
        Assert.That(await (await w.Handler.GetAsync($"/api/meldpunt/reports/{id}")).Content.ReadAsStringAsync(), Does.Not.Contain(address));
        Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString, "SELECT count(*) FROM outbox_messages WHERE to_address LIKE '%example.org%' AND kind = 'ReplyNotice'"),
            Is.Zero, "the outbox names the report, not the address");
        var dump = Path.Combine(Path.GetTempPath(), $"notice-{Guid.NewGuid():N}.sql");
        try
        {
            await PgTools.DumpAsync(j.Host.ConnectionString, dump);
            var dumped = await File.ReadAllTextAsync(dump);
            Assert.That(dumped, Does.Not.Contain(address.Split('@')[0]), "sealed in the database and its backups");
            Assert.That(dumped, Does.Contain("notice_email"));
        }
        finally { File.Delete(dump); }
        Assert.That(j.Host.Logs.Lines.Where(l => l.Contains(address.Split('@')[0])), Is.Empty, "no log line names it");
    }

    [Test]
    public async Task Removed_OrReportClosed_NoNoticeIsSent_NotEvenForAMessageAlreadyWritten()
    {
        await using var j = await JobHost.Start("reply-notice-stop", DateTimeOffset.UtcNow);
        var w = await World.Create(j.Host);

        // Set later, on /opvolgen's API; then removed after a message was written, before it was delivered.
        var removedAddress = $"weg-{Guid.NewGuid():N}"[..16] + "@example.org";
        var first = await (await w.Anonymous.Post("/api/reports", Report(w, null))).Read<ReportReceipt>(HttpStatusCode.Created);
        var firstId = await Sql.ReportIdByReceiptCode(j.Host.ConnectionString, first.ReceiptCode);
        var bad = await (await w.Anonymous.Post("/api/reports/notice", new { receiptCode = first.ReceiptCode, email = "geen adres" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(bad.GetProperty("errors").TryGetProperty("email", out _), Is.True, "the field is named");
        var set = await (await w.Anonymous.Post("/api/reports/notice", new { receiptCode = first.ReceiptCode, email = removedAddress })).Read<ReportStatusView>();
        Assert.That(set.NoticeEmailSet, Is.True);
        await (await w.Handler.Post($"/api/meldpunt/reports/{firstId}/messages", new { kind = "Acknowledgement", text = "Ontvangen." })).Read<ReportRef>();
        var removed = await (await w.Anonymous.Post("/api/reports/notice/remove", new { receiptCode = first.ReceiptCode })).Read<ReportStatusView>();
        Assert.That(removed.NoticeEmailSet, Is.False);
        Assert.That(await j.Deliver(), Is.EqualTo("Succeeded"));
        Assert.That(To(j, removedAddress), Is.Empty, "removed before delivery: not sent");

        // Closed after a message was written: the address is erased with the closing, and nothing goes out.
        var closedAddress = $"dicht-{Guid.NewGuid():N}"[..16] + "@example.org";
        var second = await (await w.Anonymous.Post("/api/reports", Report(w, closedAddress))).Read<ReportReceipt>(HttpStatusCode.Created);
        var secondId = await Sql.ReportIdByReceiptCode(j.Host.ConnectionString, second.ReceiptCode);
        await (await w.Handler.Post($"/api/meldpunt/reports/{secondId}/messages", new { kind = "Feedback", text = "Afgehandeld." })).Read<ReportRef>();
        await (await w.Handler.Post($"/api/meldpunt/reports/{secondId}/close", new { })).Read<ReportRef>();
        Assert.That(await j.Deliver(), Is.EqualTo("Succeeded"));
        Assert.That(To(j, closedAddress), Is.Empty, "closed before delivery: not sent");
        Assert.That(await Sql.Scalar<bool>(j.Host.ConnectionString, "SELECT notice_email IS NULL FROM reports WHERE id = @id", secondId), Is.True,
            "erased when the report closed");
        await (await w.Anonymous.Post("/api/reports/notice", new { receiptCode = second.ReceiptCode, email = closedAddress })).Problem(HttpStatusCode.Conflict);

        Assert.That(await Sql.Scalar<long>(j.Host.ConnectionString, "SELECT count(*) FROM outbox_messages WHERE kind = 'ReplyNotice' AND sent_at IS NULL"),
            Is.Zero, "the notices with no one to tell are gone from the outbox, not waiting or failed");
    }
}
