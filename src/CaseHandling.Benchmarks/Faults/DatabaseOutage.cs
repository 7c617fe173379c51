using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenario 2: PostgreSQL stopped in immediate mode under mixed load, then started again. On a cluster of its own
/// (<see cref="PgCluster"/>), never the shared one. While it is down: the API answers 503 with Retry-After, the reporter's
/// pages a calm page, never a 500 or a stack trace. Afterwards the app serves again by itself, jobs run, nothing is
/// half-written and the audit chains verify.
/// </summary>
public static class DatabaseOutage
{
    private sealed record Call(string Kind, Func<HttpClient, Task<HttpResponseMessage>> Send);

    public static async Task<FaultResult> RunAsync(int clients, TimeSpan outage, TextWriter log)
    {
        await using var cluster = await PgCluster.CreateAsync();
        await using var db = await BenchDatabase.CreateAsync(cluster.AdminConnectionString);
        using var smtp = SmtpSink.Start();
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, Rig.AppArgs("All", smtp));
        using var http = Rig.Client(server.Address);
        var people = await Rig.Setup(http, "dbout");
        var jobs = Rig.JobsOn(db.ConnectionString);
        var acks = new ConcurrentQueue<Acknowledged>();
        var first = await Rig.Submit(http, people.Institution, "eerste");
        acks.Enqueue(new Acknowledged(first.Code!, "eerste"));

        var n = 0;
        Call[] calls =
        [
            new("intake (API)", async h =>
            {
                var marker = $"d{Interlocked.Increment(ref n)}";
                var r = await h.PostAsJsonAsync("/api/reports", Rig.Report(people.Institution, marker));
                if (r.StatusCode == HttpStatusCode.Created)
                    acks.Enqueue(new Acknowledged((await r.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("receiptCode").GetString()!, marker));
                return r;
            }),
            new("board's duties (API)", h => Authorized(h, HttpMethod.Get, "/api/duties", people.Board)),
            new("report form (page)", h => h.GetAsync("/melden")),
            new("follow-up by code (page)", h => h.PostAsync("/opvolgen", new FormUrlEncodedContent(new Dictionary<string, string> { ["receiptCode"] = first.Code!, ["lang"] = "nl" }))),
            new("status by code (API)", h => h.PostAsJsonAsync("/api/reports/status", new { receiptCode = first.Code })),
        ];

        // phase: 0 before, 1 down, 2 after the restart
        var phase = 0;
        var counts = new ConcurrentDictionary<(int Phase, string Kind, int Status), int>();
        var bad = new ConcurrentQueue<string>();
        long lastFailureTicks = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = c; !stop.IsCancellationRequested; i++)
            {
                var call = calls[i % calls.Length];
                var p = Volatile.Read(ref phase);
                int status;
                try
                {
                    using var r = await call.Send(http);
                    status = (int)r.StatusCode;
                    if (status >= 500) await Inspect(call, r, bad);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    status = 0;
                    bad.Enqueue($"{call.Kind}: no answer ({e.GetType().Name})");
                }
                // A call sent before the stop and answered after it counts in the later phase.
                p = Math.Max(p, Volatile.Read(ref phase));
                counts.AddOrUpdate((p, call.Kind, status), 1, (_, x) => x + 1);
                if (status is not (>= 200 and < 400)) Interlocked.Exchange(ref lastFailureTicks, Stopwatch.GetTimestamp());
                if (p == 1) await Task.Delay(20);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        // Some duties due, so that the jobs have work once the database is back.
        await Rig.Execute(db.ConnectionString, "UPDATE duties SET due_at = now() - interval '1 hour', next_action_at = now() - interval '1 minute' WHERE report_id IS NOT NULL");
        var due = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM duties WHERE met_at IS NULL AND next_action_at <= now()");
        Volatile.Write(ref phase, 1);
        await cluster.StopImmediateAsync();
        await Task.Delay(outage);
        await cluster.StartAsync();
        // The harness's own pooled connections (its checks, its job client) died with the server: not the app's.
        Npgsql.NpgsqlConnection.ClearAllPools();
        var up = Stopwatch.GetTimestamp();
        Volatile.Write(ref phase, 2);
        // Recovered: every kind of call has succeeded since the restart, and nothing failed for two seconds.
        var recoveredAfter = double.NaN;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(200);
            var allOk = calls.All(k => counts.Any(kv => kv.Key.Phase == 2 && kv.Key.Kind == k.Kind && kv.Key.Status is >= 200 and < 400));
            var quiet = Stopwatch.GetElapsedTime(Math.Max(Interlocked.Read(ref lastFailureTicks), up)).TotalSeconds;
            if (allOk && quiet >= 2)
            {
                recoveredAfter = Stopwatch.GetElapsedTime(up).TotalSeconds - quiet;
                break;
            }
        }
        // Then steady: from here on, every call must succeed.
        var steadyFrom = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var failedWhenSteady = Interlocked.Read(ref lastFailureTicks) > steadyFrom;

        // Jobs resume: the sweep runs and its mail reaches the sink.
        var sweep = await jobs.Wait(jobs.Sweep(), TimeSpan.FromSeconds(90));
        var mailDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        long unsent;
        while ((unsent = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL")) > 0 && DateTime.UtcNow < mailDeadline)
        {
            await jobs.Wait(jobs.Deliver(), TimeSpan.FromSeconds(30));
            await Task.Delay(200);
        }

        var (found, missing) = await Rig.CheckAcknowledged(db.ConnectionString, http, people.Handler, acks.ToList());
        var half = await Rig.HalfWritten(db.ConnectionString);
        var audit = await Rig.VerifyAudit(db.ConnectionString);

        int Count(int p, Func<int, bool> status) => counts.Where(kv => kv.Key.Phase == p && status(kv.Key.Status)).Sum(kv => kv.Value);
        var downTotal = Count(1, _ => true);
        var down503 = Count(1, s => s == 503);
        var down500 = Count(1, s => s is >= 500 and not 503 or 0);
        var downOk = Count(1, s => s is >= 200 and < 400);
        var broken = new List<string>();
        if (Count(0, s => s is not (>= 200 and < 400)) > 0)
            broken.Add("failures before the outage: " + string.Join(", ", counts.Where(kv => kv.Key.Phase == 0 && kv.Key.Status is not (>= 200 and < 400))
                .Select(kv => $"{kv.Key.Kind} {kv.Key.Status} ×{kv.Value}")));
        if (down500 > 0) broken.Add($"{down500} answer(s) other than 503 while down: {string.Join("; ", bad.Distinct().Take(4))}");
        if (down503 == 0) broken.Add("no 503 seen while down");
        var defects = bad.Where(b => b.Contains("503", StringComparison.Ordinal) || b.Contains("stack", StringComparison.Ordinal)).Distinct().ToList();
        if (defects.Count > 0) broken.Add(string.Join("; ", defects.Take(4)));
        if (double.IsNaN(recoveredAfter)) broken.Add("did not recover within 120 s");
        if (failedWhenSteady) broken.Add("failures after recovery");
        if (sweep != "Succeeded") broken.Add($"sweep after the outage: {sweep}");
        if (unsent > 0) broken.Add($"{unsent} mail(s) unsent after the outage");
        if (found != acks.Count) broken.Add($"{acks.Count - found} acknowledged report(s) not found whole: {string.Join(", ", missing)}");
        if (half != 0) broken.Add($"{half} half-written report(s) or case(s)");
        if (audit is not null) broken.Add($"audit chain broken at {audit}");
        return new FaultResult("database outage",
            $"{outage.TotalSeconds:F0} s down (immediate stop), {clients} clients; while down {downTotal:N0} calls: {down503:N0} × 503 with Retry-After, " +
            $"{downOk} ok (before the stop took), {down500} other; recovered {recoveredAfter:F1} s after the restart without restarting the app; " +
            $"after: {Count(2, s => s is >= 200 and < 400):N0} ok; sweep {sweep}, {due} due duties, {smtp.Received.Count} mails delivered; " +
            $"acknowledged {acks.Count:N0}, found {found:N0}; half-written {half}; audit {(audit is null ? "intact" : "BROKEN")}", broken);
    }

    private static Task<HttpResponseMessage> Authorized(HttpClient h, HttpMethod method, string path, string token)
    {
        var req = new HttpRequestMessage(method, path);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return h.SendAsync(req);
    }

    /// <summary>A 5xx must be a 503 with Retry-After, as ProblemDetails on the API and a calm page on the pages, and no stack trace.</summary>
    private static async Task Inspect(Call call, HttpResponseMessage r, ConcurrentQueue<string> bad)
    {
        var body = await r.Content.ReadAsStringAsync();
        var status = (int)r.StatusCode;
        if (status != 503) bad.Enqueue($"{call.Kind}: {status}");
        if (status == 503 && r.Headers.RetryAfter is null) bad.Enqueue($"{call.Kind}: 503 without Retry-After");
        if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
            bad.Enqueue($"{call.Kind}: a stack trace or exception in the answer");
        var page = call.Kind.EndsWith("(page)", StringComparison.Ordinal);
        if (status == 503 && page && !body.Contains("Even geduld", StringComparison.Ordinal)) bad.Enqueue($"{call.Kind}: 503 without the calm page");
        if (status == 503 && !page && r.Content.Headers.ContentType?.MediaType != "application/problem+json") bad.Enqueue($"{call.Kind}: 503 not as ProblemDetails");
    }
}
