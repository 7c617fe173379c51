using System.Diagnostics;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenario 4: the job worker (a Jobs:Mode=Worker process) is killed in the middle of a sweep of many due duties and
/// started again: every escalation is recorded once and mailed once. Then two workers on one database sweep at once:
/// still once.
/// </summary>
public static class WorkerCrash
{
    public static async Task<FaultResult> RunAsync(string adminConnectionString, int duties, TextWriter log)
    {
        await using var db = await BenchDatabase.CreateAsync(adminConnectionString);
        using var smtp = SmtpSink.Start();
        var jobs = Rig.JobsOn(db.ConnectionString);
        // Small batches: a sweep of many duties is many transactions, so a kill lands between and inside them.
        var args = Rig.AppArgs("Worker", smtp, "--Jobs:SweepBatchSize=50", "--Jobs:WorkerCount=2");
        var broken = new List<string>();

        // 1: one worker, killed mid-sweep, then started again.
        await Seed(db.ConnectionString, duties, "A");
        var worker = await ServerProcess.StartAsync(db.ConnectionString, args);
        jobs.Sweep();
        var sw = Stopwatch.StartNew();
        long atKill;
        while ((atKill = await Escalated(db.ConnectionString)) < Math.Max(1, duties / 10) && sw.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(5);
        await worker.KillAsync();
        atKill = await Escalated(db.ConnectionString);
        log.WriteLine($"worker: killed mid-sweep with {atKill} of {duties} escalated");
        await worker.DisposeAsync();
        worker = await ServerProcess.StartAsync(db.ConnectionString, args);
        sw.Restart();
        var (finished, sweeps) = await SweepUntilDone(db.ConnectionString, jobs, duties, TimeSpan.FromSeconds(300));
        var afterRestart = sw.Elapsed.TotalSeconds;
        log.WriteLine($"worker: after the restart, {(finished ? "done" : "NOT done")} in {afterRestart:F1} s, {sweeps} sweep run(s)");
        var drained = await DeliverAll(db.ConnectionString, jobs);
        var one = await Check(db.ConnectionString, smtp, "A");
        await worker.DisposeAsync();
        if (atKill >= duties) broken.Add("the sweep had finished before the kill: not a crash mid-sweep");
        if (!finished) broken.Add($"after the restart, the sweep did not finish within 300 s ({await Escalated(db.ConnectionString)} of {duties})");
        if (!drained) broken.Add("mail still pending (one worker)");
        broken.AddRange(one.Broken.Select(b => "one worker: " + b));

        // 2: two workers on one database, both sweeping at once.
        await Seed(db.ConnectionString, duties, "B");
        var w1 = await ServerProcess.StartAsync(db.ConnectionString, args);
        var w2 = await ServerProcess.StartAsync(db.ConnectionString, args);
        sw.Restart();
        for (var i = 0; i < 4; i++) jobs.Sweep();
        var (finishedTwo, _) = await SweepUntilDone(db.ConnectionString, jobs, 2 * duties, TimeSpan.FromSeconds(300));
        var twoSeconds = sw.Elapsed.TotalSeconds;
        for (var i = 0; i < 4; i++) jobs.Deliver();
        var drainedTwo = await DeliverAll(db.ConnectionString, jobs);
        var two = await Check(db.ConnectionString, smtp, "B");
        await w1.DisposeAsync();
        await w2.DisposeAsync();
        if (!finishedTwo) broken.Add("two workers: the sweep did not finish within 300 s");
        if (!drainedTwo) broken.Add("mail still pending (two workers)");
        broken.AddRange(two.Broken.Select(b => "two workers: " + b));

        return new FaultResult("worker crash and two workers",
            $"{duties:N0} due duties: killed with {atKill:N0} escalated, restarted, done {afterRestart:F1} s later ({sweeps} sweep run(s)); " +
            $"escalations recorded {one.Recorded:N0} (each once: {one.Once}), mails {one.Mails:N0}, at the sink {one.AtSink:N0}, twice {one.Twice}; " +
            $"two workers: {duties:N0} more in {twoSeconds:F1} s, recorded {two.Recorded:N0} (each once: {two.Once}), mails {two.Mails:N0}, twice {two.Twice}", broken);
    }

    /// <summary>Cases with their overleg duty overdue: what a sweep escalates (to the board and the inspectorate).</summary>
    internal static async Task Seed(string cs, int count, string tag)
    {
        var institution = Guid.NewGuid();
        await Rig.Execute(cs, "INSERT INTO institutions (id, name, sector, contact_email) VALUES (@id, @name, 'Ho', @mail)",
            ("id", institution), ("name", $"Werker {tag}"), ("mail", $"bestuur-{tag.ToLowerInvariant()}@faults.casehandling.nl"));
        await Rig.Execute(cs, """
            INSERT INTO cases (id, number, institution_id, sector, incident_type, reported_incident_type, victim_kind, victim_age,
                               afhankelijkheidsrelatie, accused_role, opened_via, opened_by_user_id, board_learned_at, regime_id, coverage,
                               coverage_reason, state, opened_at, last_changed_at)
            SELECT gen_random_uuid(), @tag || '-' || g, @inst, 'Ho', 'Zedenmisdrijf', 'Zedenmisdrijf', 'Student', 'Minor', false, 'MetTakenBelastPersoon',
                   'BoardRegistration', 'faults', now(), 'huidig-recht', 'Full', 'faults', 'ConsultationStarted', now(), now()
            FROM generate_series(1, @n) g
            """, ("tag", tag), ("inst", institution), ("n", count));
        await Rig.Execute(cs, """
            INSERT INTO duties (id, case_id, institution_id, kind, step, responsible, legal_basis, regime_id, opened_at, due_at,
                                reminder_times, next_action_at, next_action_seq, escalation_count)
            SELECT gen_random_uuid(), c.id, c.institution_id, 'ConcludeOverleg', 3, 'Board', 'WHW art. 1.20', 'huidig-recht', now() - interval '3 days',
                   now() - interval '1 hour', '{}', now() - interval '1 minute', 0, 0
            FROM cases c WHERE c.institution_id = @inst
            """, ("inst", institution));
    }

    internal static Task<long> Escalated(string cs) => Rig.Scalar<long>(cs, "SELECT count(*) FROM duties WHERE escalation_count > 0");

    /// <summary>Runs the sweep (as the minute's cron would) until every seeded duty was escalated.</summary>
    internal static async Task<(bool Done, int Runs)> SweepUntilDone(string cs, Rig.Jobs jobs, int expected, TimeSpan patience)
    {
        var sw = Stopwatch.StartNew();
        var runs = 0;
        while (sw.Elapsed < patience)
        {
            if (await Escalated(cs) >= expected) return (true, runs);
            runs++;
            await jobs.Wait(jobs.Sweep(), TimeSpan.FromSeconds(70));
        }
        return (await Escalated(cs) >= expected, runs);
    }

    internal static async Task<bool> DeliverAll(string cs, Rig.Jobs jobs)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(180))
        {
            if (await Rig.Scalar<long>(cs, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND failed_at IS NULL") == 0) return true;
            await jobs.Wait(jobs.Deliver(), TimeSpan.FromSeconds(60));
        }
        return false;
    }

    internal sealed record Outcome(long Recorded, bool Once, long Mails, int AtSink, int Twice, List<string> Broken);

    internal static async Task<Outcome> Check(string cs, SmtpSink smtp, string tag)
    {
        var broken = new List<string>();
        var cases = $"(SELECT id FROM cases WHERE number LIKE '{tag}-%')";
        var notOnce = await Rig.Scalar<long>(cs, $"SELECT count(*) FROM duties WHERE case_id IN {cases} AND escalation_count <> 1");
        var events = await Rig.Scalar<long>(cs, $"SELECT count(*) FROM case_events WHERE kind = 'DutyEscalated' AND case_id IN {cases}");
        var eventsTwice = await Rig.Scalar<long>(cs, $"SELECT count(*) FROM (SELECT case_id FROM case_events WHERE kind = 'DutyEscalated' AND case_id IN {cases} GROUP BY case_id HAVING count(*) > 1) x");
        var count = await Rig.Scalar<long>(cs, $"SELECT count(*) FROM cases WHERE id IN {cases}");
        // Each escalation mails the same recipients once: no (case, address) twice.
        var mailTwice = await Rig.Scalar<long>(cs, $"SELECT count(*) FROM (SELECT reference, to_address FROM outbox_messages WHERE kind = 'Escalation' AND reference LIKE '{tag}-%' GROUP BY 1, 2 HAVING count(*) > 1) x");
        var mailCases = await Rig.Scalar<long>(cs, $"SELECT count(DISTINCT reference) FROM outbox_messages WHERE kind = 'Escalation' AND reference LIKE '{tag}-%'");
        var (mails, atSink, twice, missing) = await MailOutage.Delivered(cs, smtp);
        if (notOnce > 0) broken.Add($"{notOnce} duty(ies) not escalated exactly once");
        if (events != count || eventsTwice > 0) broken.Add($"{events} escalation entries in the timelines of {count} cases ({eventsTwice} twice)");
        if (mailTwice > 0) broken.Add($"{mailTwice} escalation mail(s) written twice");
        if (mailCases != count) broken.Add($"escalation mail about {mailCases} of {count} cases");
        if (twice > 0) broken.Add($"{twice} mail(s) arrived twice at the sink");
        if (missing > 0) broken.Add($"{missing} mail(s) marked sent but not at the sink");
        return new Outcome(events, notOnce == 0 && eventsTwice == 0, mails, atSink, twice, broken);
    }
}
