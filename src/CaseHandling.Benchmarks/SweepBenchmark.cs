using System.Diagnostics;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CaseHandling.Benchmarks;

public sealed record SweepBenchmarkResult(long Duties, long Due, double EmptySweepMedianMs, double EmptySweepP95Ms, double RoundTripMedianMs,
    double FullSweepMs, int Escalated, double TouchBaselineMs);

/// <summary>
/// The deadline sweep at national scale: <c>duties</c> open duties of which <c>due</c> are due.
/// Measures the sweep with nothing due (median of many runs) and the sweep that escalates all due duties,
/// each beside a baseline measured in the same run on the same database (these machines are noisy):
/// a bare round trip for the empty sweep, and a bare UPDATE touching the same rows for the full one.
/// </summary>
public static class SweepBenchmark
{
    public static async Task<SweepBenchmarkResult> RunAsync(string adminConnectionString, int duties, int due, TextWriter output)
    {
        await using var bench = await BenchDatabase.CreateAsync(adminConnectionString);
        var sw = Stopwatch.StartNew();
        await Seed(bench, duties);
        output.WriteLine($"seeded {duties:N0} open duties on {duties / 2:N0} cases in {sw.Elapsed.TotalSeconds:F1} s");

        var rules = new RulesOptions().Build();
        var jobs = Options.Create(new JobsOptions());
        var notifications = Options.Create(new NotificationOptions());
        async Task<SweepResult> Sweep()
        {
            var options = new DbContextOptionsBuilder<CaseHandlingDbContext>();
            CaseHandlingDbContext.Configure(options, bench.ConnectionString);
            await using var db = new CaseHandlingDbContext(options.Options);
            return await new DutySweep(db, rules, TimeProvider.System, notifications, jobs, new CaseHandling.Server.Infrastructure.Mail.Links(notifications),
                // No stored settings: the configured intake address applies (the scope factory is only used to reload them).
                new CaseHandling.Server.Infrastructure.Configuration.RulesProvider(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), null!)).RunAsync(CancellationToken.None);
        }

        // Nothing due: the sweep is one indexed probe that finds nothing.
        await Sweep(); // warm-up (JIT, pool)
        var empty = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            sw.Restart();
            var r = await Sweep();
            empty.Add(sw.Elapsed.TotalMilliseconds);
            if (r.Escalations + r.Reminders != 0) throw new InvalidOperationException("nothing should be due");
        }
        var roundTrips = new List<double>();
        await using (var conn = new NpgsqlConnection(bench.ConnectionString))
        {
            await conn.OpenAsync();
            for (var i = 0; i < 50; i++)
            {
                sw.Restart();
                await using var cmd = new NpgsqlCommand("SELECT 1", conn);
                await cmd.ExecuteScalarAsync();
                roundTrips.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        // Make `due` duties overdue, spread over the table.
        var step = Math.Max(1, duties / Math.Max(1, due));
        await bench.Execute("""
            UPDATE duties SET due_at = now() - interval '1 hour', next_action_at = now() - interval '1 minute', reminder_times = '{}'
            WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM duties) x WHERE n % @step = 0 LIMIT @due)
            """, ("step", step), ("due", due));
        await bench.Execute("VACUUM ANALYZE duties");
        var dueCount = await bench.Scalar<long>("SELECT count(*) FROM duties WHERE met_at IS NULL AND next_action_at <= now()");

        // Baseline: the least write work on the same rows (touch each due duty once, one statement).
        sw.Restart();
        await bench.Execute("UPDATE duties SET escalation_count = escalation_count WHERE met_at IS NULL AND next_action_at <= now()");
        var touch = sw.Elapsed.TotalMilliseconds;
        await bench.Execute("VACUUM ANALYZE duties");

        sw.Restart();
        var full = await Sweep();
        var fullMs = sw.Elapsed.TotalMilliseconds;

        var result = new SweepBenchmarkResult(duties, dueCount, Median(empty), Percentile(empty, 0.95), Median(roundTrips), fullMs, full.Escalations, touch);
        output.WriteLine();
        output.WriteLine("| measure | value |");
        output.WriteLine("|---|---|");
        output.WriteLine($"| open duties | {duties:N0} |");
        output.WriteLine($"| due duties | {dueCount:N0} |");
        output.WriteLine($"| empty sweep, median / p95 (50 runs) | {result.EmptySweepMedianMs:F2} ms / {result.EmptySweepP95Ms:F2} ms |");
        output.WriteLine($"| baseline: `SELECT 1` round trip, median | {result.RoundTripMedianMs:F2} ms (empty sweep = {result.EmptySweepMedianMs / result.RoundTripMedianMs:F1}× a round trip) |");
        output.WriteLine($"| full sweep: {full.Escalations:N0} escalations, {full.Mails:N0} mails, timeline entries | {fullMs:F0} ms ({full.Escalations / (fullMs / 1000):N0} duties/s) |");
        output.WriteLine($"| baseline: one UPDATE touching the same rows | {touch:F0} ms (full sweep = {fullMs / touch:F1}× that) |");
        foreach (var table in new[] { "duties", "cases", "case_events", "outbox_messages" })
            output.WriteLine($"| table `{table}`: rows / size | {await bench.Scalar<long>($"SELECT count(*) FROM {table}"):N0} / " +
                             $"{await bench.Scalar<long>($"SELECT pg_total_relation_size('{table}')") / 1024.0 / 1024:F0} MB |");
        return result;
    }

    /// <summary>Cases with two open duties each (steps 2 and 3), nothing due yet, made in SQL for speed.</summary>
    private static async Task Seed(BenchDatabase bench, int duties)
    {
        var institution = Guid.NewGuid();
        await bench.Execute("INSERT INTO institutions (id, name, sector, contact_email) VALUES (@id, 'Benchmark', 'Ho', 'bestuur@example.org')", ("id", institution));
        await bench.Execute("""
            INSERT INTO cases (id, number, institution_id, sector, incident_type, reported_incident_type, victim_kind, victim_age,
                               afhankelijkheidsrelatie, accused_role, opened_via, opened_by_user_id, board_learned_at, regime_id, coverage,
                               coverage_reason, state, opened_at, last_changed_at)
            SELECT gen_random_uuid(), 'B-' || g, @inst, 'Ho', 'Zedenmisdrijf', 'Zedenmisdrijf', 'Student', 'Minor', false, 'MetTakenBelastPersoon',
                   'BoardRegistration', 'bench', now(), 'huidig-recht', 'Full', 'benchmark', 'ConsultationStarted', now(), now()
            FROM generate_series(1, @n) g
            """, ("inst", institution), ("n", duties / 2));
        await bench.Execute("""
            INSERT INTO duties (id, case_id, institution_id, kind, step, responsible, legal_basis, regime_id, opened_at, due_at,
                                reminder_times, next_action_at, next_action_seq, escalation_count)
            SELECT gen_random_uuid(), c.id, c.institution_id, k.kind, k.step, 'Board', 'WHW art. 1.20', 'huidig-recht', now(),
                   now() + interval '30 days', '{}', now() + interval '10 days' + (random() * interval '10 days'), 0, 0
            FROM cases c CROSS JOIN (VALUES ('StartOverleg', 2), ('ConcludeOverleg', 3)) AS k(kind, step)
            """);
        await bench.Execute("VACUUM ANALYZE");
    }

    private static double Median(List<double> xs) => Percentile(xs, 0.5);

    private static double Percentile(List<double> xs, double p)
    {
        var sorted = xs.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
