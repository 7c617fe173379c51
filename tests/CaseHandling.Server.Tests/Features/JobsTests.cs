using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Infrastructure.Mail;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

/// <summary>Reminders, escalation and mail with a real Hangfire server, real PostgreSQL, real SMTP (netDumbster) and a controlled clock.</summary>
public sealed class JobsTests
{
    /// <summary>
    /// A job host of the test's own: its clock moves for this test alone, and its database, Hangfire server and
    /// SMTP server see only this test's duties and mail.
    /// </summary>
    private static Task<JobHost> OwnHost() => JobHost.Start($"jobs-{Guid.NewGuid():N}"[..13], DateTimeOffset.UtcNow);

    /// <param name="Together">How many duties of the subject fall due together (steps 4 and 5 open at the same moment).</param>
    private sealed record Subject(Guid Id, string Reference, string RemindTo, string[] EscalateTo, bool IsCase, int Together = 1);

    private static async Task<Subject> Open(World w, DutyKind kind, DateTimeOffset now)
    {
        async Task<CaseRef> Ok(Task<HttpResponseMessage> r) => await (await r).Read<CaseRef>();
        if (kind is DutyKind.MeldpuntAcknowledgement or DutyKind.MeldpuntFeedback)
        {
            var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null,
                IncidentType.SeksueleIntimidatie, "Vertrouwelijke beschrijving XYZ", "gisteren", w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon,
                VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly))).Read<ReportReceipt>(HttpStatusCode.Created);
            var id = await Sql.ReportIdByReceiptCode(w.Host.ConnectionString, receipt.ReceiptCode);
            var item = await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}");
            if (kind == DutyKind.MeldpuntFeedback)
                await (await w.Handler.Post($"/api/meldpunt/reports/{item.Id}/messages", new { kind = "Acknowledgement", text = "Ontvangen." })).Read<ReportRef>();
            return new Subject(item.Id, item.Number, JobHost.MeldpuntEmail, [JobHost.MeldpuntEmail], false);
        }

        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: now, facts: "Vertrouwelijke beschrijving XYZ");
        if (kind != DutyKind.StartOverleg) await Ok(w.Consult(c.Id));
        if (kind is DutyKind.InformParties or DutyKind.Aangifte or DutyKind.NotifyInspectorOfAangifte)
            await Ok(w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion));
        if (kind == DutyKind.Aangifte) await Ok(w.Inform(c.Id));
        if (kind == DutyKind.NotifyInspectorOfAangifte) { await Ok(w.Inform(c.Id)); await Ok(w.Aangifte(c.Id)); }
        var inspector = kind == DutyKind.StartOverleg ? JobHost.InspectorateEmail : w.InspectorEmail;
        var remindTo = kind == DutyKind.ConcludeOverleg ? w.InspectorEmail : World.BoardEmail;
        return new Subject(c.Id, c.Number, remindTo, [World.BoardEmail, inspector], true, kind == DutyKind.InformParties ? 2 : 1);
    }

    [TestCase(DutyKind.StartOverleg)]
    [TestCase(DutyKind.ConcludeOverleg)]
    [TestCase(DutyKind.InformParties)]
    [TestCase(DutyKind.Aangifte)]
    [TestCase(DutyKind.NotifyInspectorOfAangifte)]
    [TestCase(DutyKind.MeldpuntAcknowledgement)]
    [TestCase(DutyKind.MeldpuntFeedback)]
    public async Task Sweep_EachDutyKind_RemindsBeforeDueThenEscalatesOncePerInterval(DutyKind kind)
    {
        await using var j = await OwnHost();
        var w = await World.Create(j.Host);
        var s = await Open(w, kind, j.Clock.GetUtcNow());
        var (due, reminders) = await j.Duty(s.Id, kind.ToString());
        Assert.That(reminders, Is.Not.Empty);

        // Before the first reminder: nothing.
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(s.Reference), Is.Empty);

        // Reminder to the responsible party.
        j.Clock.SetUtcNow(reminders[0].AddMinutes(1));
        await j.SweepAndDeliver();
        var reminderMails = j.MailsAbout(s.Reference);
        Assert.That(reminderMails, Has.Count.EqualTo(s.Together));
        Assert.That(reminderMails.SelectMany(m => m.ToAddresses).Select(a => a.Address).Distinct(), Is.EqualTo(new[] { s.RemindTo }));
        Assert.That(reminderMails.All(m => m.Subject.Contains("herinnering")));

        // Overdue: escalation to the board and, for the chain's duties, the vertrouwensinspecteur; the timeline records it.
        j.Clock.SetUtcNow(due.AddMinutes(1));
        await j.SweepAndDeliver();
        var escalations = j.MailsAbout(s.Reference).Where(m => m.Subject.Contains("verstreken")).ToList();
        Assert.That(escalations.SelectMany(m => m.ToAddresses).Select(a => a.Address), Is.EquivalentTo(Enumerable.Repeat(s.EscalateTo, s.Together).SelectMany(x => x)));
        if (s.IsCase)
            Assert.That(await j.Scalar<long>("SELECT count(*) FROM case_events WHERE case_id = @c AND kind = 'DutyEscalated'", ("c", s.Id)), Is.EqualTo(s.Together));
        // The sweep's changes are in the subject's audit trail, by the system, and the chain holds.
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action = 'change:DutyReminder' AND user_id = 'system:deadlines'",
            ("s", s.Id)), Is.EqualTo(s.Together));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action = 'change:DutyEscalated' AND role = 'System'",
            ("s", s.Id)), Is.EqualTo(s.Together));
        Assert.That((await CaseHandling.Server.Infrastructure.Persistence.AuditVerifier.VerifyAsync(j.Host.ConnectionString, CancellationToken.None)).FirstBroken, Is.Null);

        // Run again in the same interval: never twice.
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(s.Reference).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(s.Together * s.EscalateTo.Length));

        // The next interval escalates again.
        var next = await j.Scalar<DateTime>("SELECT next_action_at FROM duties WHERE (case_id = @s OR report_id = @s) AND kind = @k",
            ("s", s.Id), ("k", kind.ToString()));
        j.Clock.SetUtcNow(new DateTimeOffset(next, TimeSpan.Zero).AddMinutes(1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(s.Reference).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(2 * s.Together * s.EscalateTo.Length));

        // What a mail may say: attention needed and the number. Never content, names or the incident type.
        foreach (var m in j.MailsAbout(s.Reference))
        {
            var text = m.Subject + m.MessageParts[0].BodyData;
            Assert.That(text, Does.Not.Contain("XYZ").And.Not.Contain("Zedenmisdrijf").And.Not.Contain("intimidatie").IgnoreCase
                .And.Not.Contain("Aangifte").And.Not.Contain("Instelling").And.Not.Contain(kind.ToString()));
            Assert.That(text, Does.Contain(s.Reference));
            // A case's mail opens the case's page in the staff portal (after sign-in; StaffPortalTests follows such a link).
            if (s.IsCase) Assert.That(text, Does.Contain($"/portaal/zaken/{s.Id}"));
        }
    }

    /// <summary>
    /// A report closed while its acknowledgement was still open is no longer reminded or escalated (docs/JOBS.md, "A closed
    /// report"); a report left open, due at the same moment, is, in the same sweeps. The closed report's duty stays unmet.
    /// </summary>
    [Test]
    public async Task Sweep_ClosedReport_NoReminderOrEscalation_OpenReportReminded()
    {
        await using var j = await OwnHost();
        var w = await World.Create(j.Host);
        var closed = await Open(w, DutyKind.MeldpuntAcknowledgement, j.Clock.GetUtcNow());
        var open = await Open(w, DutyKind.MeldpuntAcknowledgement, j.Clock.GetUtcNow());
        await (await w.Handler.Post($"/api/meldpunt/reports/{closed.Id}/close", new { })).Read<ReportRef>();
        // The inbox shows no due time for it (the handler acts now: its token does not outlive the clock's jumps).
        var listed = (await w.Handler.GetJson<List<ReportInboxItem>>($"/api/meldpunt/reports?number={closed.Reference}")).Single();
        Assert.That((listed.Status, listed.NextDueAt, listed.Overdue), Is.EqualTo((ReportStatus.Closed, (DateTimeOffset?)null, false)));

        var (due, reminders) = await j.Duty(closed.Id, nameof(DutyKind.MeldpuntAcknowledgement));
        var other = await j.Duty(open.Id, nameof(DutyKind.MeldpuntAcknowledgement));
        Assert.That((other.Due, other.Reminders[0]), Is.EqualTo((due, reminders[0])), "both due at the same moment");

        // Past the reminder: the open report's reminder goes out; nothing about the closed one.
        j.Clock.SetUtcNow(reminders[0].AddMinutes(1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(open.Reference).Count(m => m.Subject.Contains("herinnering")), Is.EqualTo(1));
        Assert.That(j.MailsAbout(closed.Reference), Is.Empty);

        // Past the due time: the open report escalates; the closed one still says nothing.
        j.Clock.SetUtcNow(due.AddMinutes(1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(open.Reference).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(1));
        Assert.That(j.MailsAbout(closed.Reference), Is.Empty);
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE reference = @r", ("r", closed.Reference)), Is.Zero);
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action IN ('change:DutyReminder', 'change:DutyEscalated')",
            ("s", closed.Id)), Is.Zero);
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action IN ('change:DutyReminder', 'change:DutyEscalated')",
            ("s", open.Id)), Is.EqualTo(2));

        // Not marked met at closing: the duty stays unmet, unescalated, with nothing left to do.
        Assert.That(await j.Scalar<long>("""
            SELECT count(*) FROM duties WHERE report_id = @s AND met_at IS NULL AND next_action_at IS NULL AND escalation_count = 0 AND next_action_seq = 0
            """, ("s", closed.Id)), Is.EqualTo(1));
        // The operational gauge counts the open report's overdue acknowledgement, not the closed one's (this host's own database).
        var figures = j.Host.Services.GetRequiredService<CaseHandling.Server.Infrastructure.Operations.OperationalFigures>();
        await figures.RefreshAsync();
        Assert.That(figures.Current().Duties.Single(d => d.Kind == nameof(DutyKind.MeldpuntAcknowledgement)),
            Is.EqualTo(new CaseHandling.Server.Infrastructure.Operations.OperationalFigures.DutyCount(nameof(DutyKind.MeldpuntAcknowledgement), 1, 1)));
    }

    /// <summary>
    /// A report closed before the rule kept its duties' schedule; the migration StopClosedReportDutyReminders clears it (and
    /// only that: the duties stay unmet, an open report's schedule is untouched), so the sweep leaves such a report alone too.
    /// </summary>
    [Test]
    public async Task Migration_ReportClosedBeforeTheRule_ScheduleCleared_SweepSilent()
    {
        await using var j = await OwnHost();
        var w = await World.Create(j.Host);
        var closed = await Open(w, DutyKind.MeldpuntAcknowledgement, j.Clock.GetUtcNow());
        var open = await Open(w, DutyKind.MeldpuntAcknowledgement, j.Clock.GetUtcNow());
        await (await w.Handler.Post($"/api/meldpunt/reports/{closed.Id}/close", new { })).Read<ReportRef>();
        await using (var conn = new Npgsql.NpgsqlConnection(j.Host.ConnectionString))
        {
            // As the old code left a closed report: its acknowledgement still scheduled for its first reminder.
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("UPDATE duties SET next_action_at = reminder_times[1] WHERE report_id = @s", conn);
            cmd.Parameters.AddWithValue("s", closed.Id);
            Assert.That(await cmd.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        // The migration, run again: back to the one before it (its Down changes nothing), then up.
        await TestDatabase.MigrateAgainAfter(j.Host.ConnectionString, "20261130103912_ExternalLoginPerIssuer");
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM duties WHERE report_id = @s AND next_action_at IS NULL AND met_at IS NULL", ("s", closed.Id)),
            Is.EqualTo(1));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM duties WHERE report_id = @s AND next_action_at IS NOT NULL", ("s", open.Id)), Is.EqualTo(1));

        var (due, reminders) = await j.Duty(closed.Id, nameof(DutyKind.MeldpuntAcknowledgement));
        j.Clock.SetUtcNow(reminders[0].AddMinutes(1));
        await j.SweepAndDeliver();
        j.Clock.SetUtcNow(due.AddMinutes(1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(closed.Reference), Is.Empty);
        Assert.That(j.MailsAbout(open.Reference), Has.Count.EqualTo(2), "the open report: a reminder, then an escalation");
    }

    [Test]
    public async Task Sweep_TwoWorkersAtOnce_NoDuplicateEscalation()
    {
        await using var j = await OwnHost();
        var w = await World.Create(j.Host);
        var cases = new List<CaseRef>();
        for (var i = 0; i < 30; i++)
            cases.Add(await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: j.Clock.GetUtcNow().AddDays(-10)));
        var ids = cases.Select(c => c.Id).ToArray();

        // Two sweeps in parallel, each with its own scope and connection, as on two worker machines.
        async Task<SweepResult> SweepOnce()
        {
            await using var scope = j.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<DutySweep>().RunAsync(CancellationToken.None);
        }
        await Task.WhenAll(SweepOnce(), SweepOnce(), SweepOnce());

        Assert.That(await j.Scalar<long>("SELECT count(*) FROM case_events WHERE case_id = ANY(@ids) AND kind = 'DutyEscalated'", ("ids", ids)),
            Is.EqualTo(30));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM duties WHERE case_id = ANY(@ids) AND escalation_count = 1", ("ids", ids)), Is.EqualTo(30));
        var numbers = cases.Select(c => c.Number).ToArray();
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE reference = ANY(@n)", ("n", numbers)), Is.EqualTo(60));
    }

    [Test]
    public async Task Delivery_SmtpDownThenUp_EachMailArrivesExactlyOnce()
    {
        await using var j = await OwnHost();
        var w = await World.Create(j.Host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: j.Clock.GetUtcNow().AddDays(-10));
        j.StopSmtp();
        try
        {
            Assert.That(await j.Sweep(), Is.EqualTo("Succeeded"));
            await j.Deliver();
            Assert.That(await j.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE reference = @r AND sent_at IS NULL AND attempts = 1", ("r", c.Number)),
                Is.EqualTo(2), "both mails wait for a retry");
            await j.Deliver(); // still within the back-off: not tried again
            Assert.That(await j.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE reference = @r AND attempts = 1", ("r", c.Number)), Is.EqualTo(2));
        }
        finally
        {
            j.StartSmtp();
        }
        j.Clock.Advance(TimeSpan.FromMinutes(2));
        await j.Deliver();
        await j.Deliver();
        var mails = j.MailsAbout(c.Number);
        Assert.That(mails, Has.Count.EqualTo(2));
        Assert.That(mails.Select(m => m.Headers["Message-Id"]).Distinct().Count(), Is.EqualTo(2));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE reference = @r AND sent_at IS NOT NULL", ("r", c.Number)), Is.EqualTo(2));
    }

    [Test]
    public async Task Hangfire_Dashboard_AdministratorsOnly()
    {
        await using var j = await OwnHost();
        var w = await World.Create(j.Host);
        // The dashboard is a page: a browser is sent to sign in, or told it has no access; never the dashboard itself.
        Assert.That((await w.Anonymous.GetAsync("/hangfire")).RequestMessage!.RequestUri!.PathAndQuery, Does.StartWith("/aanmelden?ReturnUrl=%2Fhangfire"));
        foreach (var notAdmin in new[] { w.Board, w.Handler })
        {
            var page = await notAdmin.GetAsync("/hangfire");
            Assert.That((page.StatusCode, page.RequestMessage!.RequestUri!.AbsolutePath), Is.EqualTo((HttpStatusCode.Forbidden, "/geen-toegang")));
        }
        Assert.That((await w.Admin.GetAsync("/hangfire")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

/// <summary>Deadlines that land on a weekend, on Koningsdag and across Christmas, end to end.</summary>
public sealed class CalendarJobsTests
{
    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Test]
    public async Task StartOverleg_LearnedFridayBeforeKoningsdag_DueTuesdayRemindedFridayEscalatedTuesday()
    {
        // Friday 24 April 2026, 09:00 Amsterdam (07:00 UTC). Saturday, Sunday, then Monday 27 April is Koningsdag.
        await using var j = await JobHost.Start("jobs-koningsdag", Utc(2026, 4, 24, 7));
        var w = await World.Create(j.Host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: j.Clock.GetUtcNow());
        var (due, reminders) = await j.Duty(c.Id, "StartOverleg");
        Assert.That(due, Is.EqualTo(Utc(2026, 4, 28, 10)), "next working day 12:00 Amsterdam (CEST) is Tuesday");
        Assert.That(reminders, Does.Contain(Utc(2026, 4, 24, 10)), "one working day before: Friday 12:00");

        j.Clock.SetUtcNow(Utc(2026, 4, 24, 10, 1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(c.Number).Count(m => m.Subject.Contains("herinnering")), Is.EqualTo(1));

        j.Clock.SetUtcNow(Utc(2026, 4, 27, 12)); // Koningsdag, after the midpoint reminder: still not due
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(c.Number).Count(m => m.Subject.Contains("verstreken")), Is.Zero);

        j.Clock.SetUtcNow(Utc(2026, 4, 28, 10, 1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(c.Number).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(2));
        Assert.That(await j.Scalar<DateTime>("SELECT next_action_at FROM duties WHERE case_id = @c", ("c", c.Id)),
            Is.EqualTo(Utc(2026, 4, 29, 10).UtcDateTime), "the next escalation one working day later");
    }

    [Test]
    public async Task StartOverleg_LearnedChristmasEve_DueMondayAfterChristmasEscalatedThen()
    {
        // Wednesday 24 December 2025, 10:00 Amsterdam (09:00 UTC): Christmas, Boxing Day and the weekend follow.
        await using var j = await JobHost.Start("jobs-christmas", Utc(2025, 12, 24, 9));
        var w = await World.Create(j.Host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: j.Clock.GetUtcNow());
        var (due, _) = await j.Duty(c.Id, "StartOverleg");
        Assert.That(due, Is.EqualTo(Utc(2025, 12, 29, 11)));

        j.Clock.SetUtcNow(Utc(2025, 12, 28, 23)); // Sunday night: reminders only
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(c.Number).Count(m => m.Subject.Contains("verstreken")), Is.Zero);
        Assert.That(j.MailsAbout(c.Number).Count(m => m.Subject.Contains("herinnering")), Is.GreaterThanOrEqualTo(1));

        j.Clock.SetUtcNow(Utc(2025, 12, 29, 11, 1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(c.Number).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(2));
    }
}

/// <summary>The process stops after the SMTP server accepted a mail and before it was marked sent.</summary>
public sealed class DeliveryCrashTests
{
    private sealed class CrashOnce : IDeliveryProbe
    {
        public int Crashes;
        public Task AfterSendAsync(CaseHandling.Data.OutboxMessage message) =>
            Interlocked.Exchange(ref Crashes, 1) == 0 ? throw new InvalidOperationException("simulated crash after send") : Task.CompletedTask;
    }

    [Test]
    public async Task Delivery_CrashBetweenSendAndMarkSent_ResentOnceWithSameMessageId()
    {
        var probe = new CrashOnce();
        await using var j = await JobHost.Start("jobs-crash", DateTimeOffset.UtcNow, s => s.AddSingleton<IDeliveryProbe>(probe));
        var w = await World.Create(j.Host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: j.Clock.GetUtcNow().AddDays(-10));
        Assert.That(await j.Sweep(), Is.EqualTo("Succeeded"));

        // The delivery that the sweep enqueued dies after the first send. Its batch stays claimed until the claim expires.
        await j.Deliver();
        await j.Deliver();
        Assert.That(probe.Crashes, Is.EqualTo(1));
        Assert.That(j.MailsAbout(c.Number), Has.Count.EqualTo(1), "one mail reached the server before the crash");
        var crashedId = j.MailsAbout(c.Number)[0].Headers["Message-Id"];
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE reference = @r AND sent_at IS NULL", ("r", c.Number)), Is.EqualTo(2));

        // Within the claim nobody takes the message over; after it expires, it is sent again.
        j.Clock.Advance(OutboxDelivery.ClaimFor + TimeSpan.FromMinutes(1));
        await j.Deliver();
        await j.Deliver();
        var all = j.MailsAbout(c.Number);
        Assert.That(all, Has.Count.EqualTo(3), "exactly one duplicate, of the message in flight at the crash");
        Assert.That(all.Count(m => m.Headers["Message-Id"] == crashedId), Is.EqualTo(2), "the resend carries the same Message-Id");
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE reference = @r AND sent_at IS NULL", ("r", c.Number)), Is.Zero);
    }
}

/// <summary>One build, three roles: API only, worker only, both.</summary>
public sealed class JobsModeTests
{
    [Test]
    public async Task Mode_ApiOnly_NoHangfireServer_WorkerOnly_NoApi()
    {
        var api = await TestHost.Get("mode-api");
        Assert.That(api.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().Name),
            Has.None.Contains("BackgroundJobServer"));

        await using var worker = await JobHost.Start("mode-worker", DateTimeOffset.UtcNow, settings: new() { ["Jobs:Mode"] = "Worker" });
        Assert.That(worker.Host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().Name),
            Has.Some.Contains("BackgroundJobServer"));
        // No API and no pages here: the anonymous intake page, public in the other modes, is not served.
        Assert.That((await worker.Host.CreateClient().GetAsync("/melden")).StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That((await api.CreateClient().GetAsync("/melden")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // A worker answers the same health endpoints as the API (Kubernetes probes both the same way: deploy/k8s/worker.yaml).
        Assert.That(await (await worker.Host.CreateClient().GetAsync("/health/ready")).Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
        Assert.That(await worker.Sweep(), Is.EqualTo("Succeeded"));
    }

    [Test]
    public async Task DeadlinePolicyChange_AppliesToNewDutiesOnly()
    {
        var before = await TestHost.Get("policy-before");
        var w = await World.Create(before);
        var old = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var oldDue = (await w.Board.Case(old.Id)).Duties.Single().DueAt;

        // The same database, now with a 4-hour policy for step 2.
        var after = await TestHost.Get("policy-after", new() { ["Rules:DeadlinePolicy:StartOverleg"] = "4h" }, connectionString: before.ConnectionString);
        var board = await World.SignIn(after, (await (await w.Board.GetAsync("/api/auth/me")).Read<System.Text.Json.JsonElement>()).GetProperty("email").GetString()!, World.Password);
        var learned = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        var fresh = await (await board.Post("/api/cases", new RegisterCase(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
            AccusedRole.MetTakenBelastPersoon, learned, "x"))).Read<CaseRef>(HttpStatusCode.Created);

        Assert.That((await board.Case(old.Id)).Duties.Single().DueAt, Is.EqualTo(oldDue), "an open duty keeps its due time");
        Assert.That(oldDue, Is.EqualTo(new DateTimeOffset(2026, 3, 3, 11, 0, 0, TimeSpan.Zero)));
        Assert.That((await board.Case(fresh.Id)).Duties.Single().DueAt, Is.EqualTo(learned.AddHours(4)));
    }
}
