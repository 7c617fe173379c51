using System.Diagnostics;
using System.Net;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenario 3: the mail server is down while reminders and escalations are due, then comes back. The mails wait in the
/// outbox and are retried with back-off; each arrives exactly once (counted at the sink by Message-Id); a mail the
/// server refuses for good is given up and listed for the administrator, not dropped.
/// </summary>
public static class MailOutage
{
    public const string RefusedAddress = "weigert@faults.casehandling.nl";
    public const string RefusedReference = "M-ONBESTELBAAR";

    public static async Task<FaultResult> RunAsync(string adminConnectionString, int reports, TimeSpan outage, TextWriter log)
    {
        await using var db = await BenchDatabase.CreateAsync(adminConnectionString);
        using var smtp = SmtpSink.Start();
        smtp.Refuse = a => a.Equals(RefusedAddress, StringComparison.OrdinalIgnoreCase);
        // A one-second first back-off, doubling, so that an outage of seconds shows several spaced attempts.
        await using var server = await ServerProcess.StartAsync(db.ConnectionString,
            Rig.AppArgs("All", smtp, "--Mail:RetryAfterSeconds=1", "--Mail:MaxAttempts=30"));
        using var http = Rig.Client(server.Address);
        var people = await Rig.Setup(http, "mail");
        var jobs = Rig.JobsOn(db.ConnectionString);
        for (var i = 0; i < reports; i++)
            if ((await Rig.Submit(http, people.Institution, $"m{i}")).Code is null) throw new InvalidOperationException("a report was refused");
        // Half the meldpunt's acknowledgements overdue (an escalation), half with a reminder due before the deadline.
        await Rig.Execute(db.ConnectionString, """
            UPDATE duties SET due_at = now() - interval '1 hour', next_action_at = now() - interval '1 minute'
            WHERE kind = 'MeldpuntAcknowledgement' AND id IN (SELECT id FROM duties WHERE kind = 'MeldpuntAcknowledgement' ORDER BY id LIMIT @half);
            UPDATE duties SET reminder_times = ARRAY[now() - interval '1 minute'], next_action_at = now() - interval '1 minute'
            WHERE kind = 'MeldpuntAcknowledgement' AND next_action_at > now();
            """, ("half", reports / 2));
        // A mail to an address the server refuses for good (550).
        await Rig.Execute(db.ConnectionString, """
            INSERT INTO outbox_messages (id, created_at, to_address, subject, body, kind, reference, attempts, next_attempt_at)
            VALUES (gen_random_uuid(), now(), @to, 'Herinnering', 'Een herinnering.', 'Reminder', @ref, 0, now())
            """, ("to", RefusedAddress), ("ref", RefusedReference));

        smtp.Down();
        var sweep = await jobs.Wait(jobs.Sweep(), TimeSpan.FromSeconds(90));
        var written = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM outbox_messages WHERE reference <> @r", ("r", RefusedReference));
        var kinds = await Rig.Scalar<string>(db.ConnectionString, "SELECT coalesce(string_agg(kind || ' ' || n, ', '), '') FROM (SELECT kind, count(*) n FROM outbox_messages GROUP BY kind ORDER BY kind) x");
        // The outage: delivery runs every second (as the minute's cron would, quicker), and finds no server.
        var runs = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < outage)
        {
            await jobs.Wait(jobs.Deliver(), TimeSpan.FromSeconds(30));
            runs++;
            await Task.Delay(1000);
        }
        var receivedWhileDown = smtp.Received.Count;
        var maxAttempts = await Rig.Scalar<int>(db.ConnectionString, "SELECT coalesce(max(attempts), 0) FROM outbox_messages WHERE reference <> @r", ("r", RefusedReference));
        var waiting = await Rig.Scalar<long>(db.ConnectionString,
            "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL AND reference <> @r", ("r", RefusedReference));

        smtp.Up();
        sw.Restart();
        long pending;
        while ((pending = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND failed_at IS NULL")) > 0
               && sw.Elapsed < TimeSpan.FromSeconds(180))
        {
            await jobs.Wait(jobs.Deliver(), TimeSpan.FromSeconds(30));
            await Task.Delay(500);
        }
        var drained = sw.Elapsed.TotalSeconds;
        // A last run: nothing may be sent twice.
        await jobs.Wait(jobs.Deliver(), TimeSpan.FromSeconds(30));

        var ids = await MessageIds(db.ConnectionString, "sent_at IS NOT NULL");
        var byId = smtp.ByMessageId;
        var missingAtSink = ids.Count(id => !byId.ContainsKey(id));
        var twice = byId.Count(kv => kv.Value > 1);
        var failed = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM outbox_messages WHERE failed_at IS NOT NULL");
        var (status, listed) = await Rig.Get(http, people.Admin, "/api/admin/mail/undelivered");
        var listedRefused = status == HttpStatusCode.OK && listed.EnumerateArray().Any(m => m.GetProperty("reference").GetString() == RefusedReference);
        using var page = await Rig.PageSession(server.Address, Rig.AdminEmail);
        var pageText = await page.GetStringAsync("/portaal/beheer/post");
        var onPage = pageText.Contains(RefusedReference, StringComparison.Ordinal);

        var broken = new List<string>();
        if (sweep != "Succeeded") broken.Add($"sweep {sweep}");
        if (written == 0) broken.Add("the sweep wrote no mail");
        if (receivedWhileDown != 0) broken.Add($"{receivedWhileDown} mail(s) arrived while the server was down");
        if (waiting != written) broken.Add($"{written - waiting} mail(s) not waiting with an error while down");
        if (maxAttempts < 2) broken.Add("no retry while down");
        if (maxAttempts >= runs) broken.Add($"no back-off: {maxAttempts} attempts in {runs} delivery runs");
        if (pending > 0) broken.Add($"{pending} mail(s) still pending after the server came back");
        if (ids.Count != written) broken.Add($"{written - ids.Count} mail(s) not sent");
        if (missingAtSink > 0) broken.Add($"{missingAtSink} mail(s) marked sent but not at the sink");
        if (twice > 0) broken.Add($"{twice} mail(s) delivered more than once");
        if (failed != 1 || !listedRefused || !onPage) broken.Add($"the refused mail: failed {failed}, listed by the API {listedRefused}, on the page {onPage}");
        return new FaultResult("mail outage",
            $"{outage.TotalSeconds:F0} s down; {written} mails due ({kinds}); while down {runs} delivery runs, {receivedWhileDown} arrived, " +
            $"{waiting} waiting, at most {maxAttempts} attempts each (back-off); after: delivered in {drained:F1} s, at the sink {byId.Count} distinct, " +
            $"{twice} twice, {missingAtSink} missing; refused for good: {failed}, shown to the administrator {(listedRefused && onPage ? "yes" : "NO")}", broken);
    }

    private static async Task<List<string>> MessageIds(string cs, string where)
    {
        await using var conn = new Npgsql.NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"SELECT id FROM outbox_messages WHERE {where}", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await r.ReadAsync()) ids.Add($"{r.GetGuid(0):N}@casehandling.outbox");
        return ids;
    }

    /// <summary>Each escalation once, and each mail at the sink once: the checks that scenarios 3, 4 and 8 share.</summary>
    public static async Task<(long Mails, int AtSink, int Twice, int Missing)> Delivered(string cs, SmtpSink smtp)
    {
        var ids = await MessageIds(cs, "sent_at IS NOT NULL");
        var byId = smtp.ByMessageId;
        return (ids.Count, byId.Count, byId.Count(kv => kv.Value > 1), ids.Count(id => !byId.ContainsKey(id)));
    }
}
