using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The meldpunt handler's inbox on a database of its own, with a clock: the service level due soonest first, the
/// overdue ones marked, then the reports without an open service level, closed ones only on request; and the lookup
/// by number.
/// </summary>
public sealed class InboxTests
{
    [Test]
    public async Task Inbox_DueSoonestFirst_OverdueMarked_ThenWithoutServiceLevel_ClosedOnRequest()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var host = await TestHost.Get("meldpunt-inbox", services: s => s.AddSingleton<TimeProvider>(clock));
        var w = await World.Create(host);
        var reporter = host.CreateClient();
        async Task<Guid> Submit(string text)
        {
            var receipt = await (await reporter.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
                text, "gisteren", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly)))
                .Read<ReportReceipt>(HttpStatusCode.Created);
            return await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);
        }
        async Task Message(HttpClient handler, Guid id, string kind) =>
            await (await handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind, text = "Bericht" })).Read<ReportRef>();

        // Day 0: "a" acknowledged (next: the feedback, three months on), "c" answered with the feedback (no open service
        // level), "d" closed. (The handler acts now: its token does not outlive the clock's jumps.)
        var acknowledged = await Submit("a");
        await Message(w.Handler, acknowledged, "Acknowledgement");
        var answered = await Submit("c");
        await Message(w.Handler, answered, "Feedback");
        var closed = await Submit("d");
        await (await w.Handler.Post($"/api/meldpunt/reports/{closed}/close", new { })).Read<ReportRef>();
        // Day 1: "b", whose acknowledgement is due on day 8.
        clock.Advance(TimeSpan.FromDays(1));
        var waiting = await Submit("b");

        // Day 10: the acknowledgement of "b" is late.
        clock.Advance(TimeSpan.FromDays(9));
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var handler = await World.NewUser(host, admin, StaffRole.MeldpuntHandler, null);
        var inbox = await handler.GetJson<List<ReportInboxItem>>("/api/meldpunt/reports");
        Assert.That(inbox.Select(i => i.Id), Is.EqualTo(new[] { waiting, acknowledged, answered }));
        Assert.That(inbox.Select(i => i.Overdue), Is.EqualTo(new[] { true, false, false }));
        Assert.That(inbox.Select(i => i.NextDuty), Is.EqualTo(new DutyKind?[] { DutyKind.MeldpuntAcknowledgement, DutyKind.MeldpuntFeedback, null }));

        var all = await handler.GetJson<List<ReportInboxItem>>("/api/meldpunt/reports?includeClosed=true");
        Assert.That(all.Take(2).Select(i => i.Id), Is.EqualTo(new[] { waiting, acknowledged }),
            "a closed report's unmet acknowledgement does not put it on top as overdue");
        var closedItem = all.Single(i => i.Id == closed);
        Assert.That((closedItem.Overdue, closedItem.NextDueAt), Is.EqualTo((false, (DateTimeOffset?)null)));

        // By number, as people type it: that one report, whatever its status.
        var number = all.Single(i => i.Id == closed).Number;
        foreach (var typed in new[] { number, number.ToLowerInvariant(), " " + number.Replace("M-", "").TrimStart('0') + " " })
            Assert.That((await handler.GetJson<List<ReportInboxItem>>($"/api/meldpunt/reports?number={Uri.EscapeDataString(typed)}")).Select(i => i.Id),
                Is.EqualTo(new[] { closed }), typed);
        Assert.That(await handler.GetJson<List<ReportInboxItem>>("/api/meldpunt/reports?number=M-999999"), Is.Empty);
    }
}
