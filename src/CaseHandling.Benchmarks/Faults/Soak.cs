using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ScottPlot;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenario 8: mixed load for a long time (intake, staff reads, steps of the chain, the sweep and mail delivery). No
/// error; the app's resident memory sampled over time, its slope printed (and plotted); response times at the end
/// against those at the start.
/// </summary>
public static class Soak
{
    public sealed record Figures(double SlopeMbPerMinute, double RssStartMb, double RssEndMb, double P50Start, double P95Start, double P50End, double P95End, long Requests, long Errors);

    public static async Task<(FaultResult Result, Figures Figures)> RunAsync(string adminConnectionString, TimeSpan duration, TextWriter log, string? chart = null)
    {
        await using var db = await BenchDatabase.CreateAsync(adminConnectionString);
        using var smtp = SmtpSink.Start();
        // The data-key cache is bounded (Encryption:KeyCacheSize, 100,000 keys, some 40 MB when full) and fills with every
        // new report's key: at the soak's intake it would still be filling after 20 minutes and look like a leak. Set low,
        // it is full within the warm-up, so that memory that still grows afterwards is a leak.
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, Rig.AppArgs("All", smtp, "--Encryption:KeyCacheSize=5000"));
        using var http = Rig.Client(server.Address);
        var people = await Rig.Setup(http, "soak");
        var jobs = Rig.JobsOn(db.ConnectionString);
        var codes = new ConcurrentQueue<string>();
        var cases = new ConcurrentQueue<Guid>();
        var latencies = new ConcurrentQueue<(double At, double Ms)>();
        var errors = new ConcurrentQueue<string>();
        long requests = 0, conflicts = 0;
        var start = Stopwatch.GetTimestamp();
        double Now() => Stopwatch.GetElapsedTime(start).TotalSeconds;

        async Task Timed(string what, Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, Task>? then = null)
        {
            var t = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref requests);
            try
            {
                using var r = await send();
                latencies.Enqueue((Now(), Stopwatch.GetElapsedTime(t).TotalMilliseconds));
                if (!r.IsSuccessStatusCode) errors.Enqueue($"{what}: {(int)r.StatusCode}");
                else if (then is not null) await then(r);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                errors.Enqueue($"{what}: {e.GetType().Name}");
            }
        }
        HttpRequestMessage As(HttpMethod m, string path, string token, object? body = null)
        {
            var req = new HttpRequestMessage(m, path) { Content = body is null ? null : JsonContent.Create(body) };
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return req;
        }

        using var stop = new CancellationTokenSource();
        var n = 0;
        var workers = new List<Task>
        {
            // Reporters: intake, then the status by code now and then.
            Loop(async () => await Timed("intake", () => http.PostAsJsonAsync("/api/reports", Rig.Report(people.Institution, $"s{Interlocked.Increment(ref n)}")),
                async r => codes.Enqueue((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptCode").GetString()!))),
            Loop(async () => await Timed("intake", () => http.PostAsJsonAsync("/api/reports", Rig.Report(people.Institution, $"s{Interlocked.Increment(ref n)}")),
                async r => codes.Enqueue((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptCode").GetString()!))),
            Loop(async () =>
            {
                if (codes.TryPeek(out var code)) await Timed("status", () => http.PostAsJsonAsync("/api/reports/status", new { receiptCode = code }));
                await Timed("report form", () => http.GetAsync("/melden"));
            }),
            // Staff reads: the board's duties and cases, the handler's inbox.
            Loop(async () =>
            {
                await Timed("duties", () => http.SendAsync(As(HttpMethod.Get, "/api/duties", people.Board)));
                await Timed("cases", () => http.SendAsync(As(HttpMethod.Get, "/api/cases", people.Board)));
                await Timed("inbox", () => http.SendAsync(As(HttpMethod.Get, "/api/meldpunt/reports", people.Handler)));
                if (cases.TryPeek(out var c)) await Timed("case", () => http.SendAsync(As(HttpMethod.Get, $"/api/cases/{c}", people.Board)));
            }),
            // Steps of the chain: a matter registered, the overleg started, the inspector's outcome.
            Loop(async () =>
            {
                Guid id = default;
                await Timed("register", () => http.SendAsync(As(HttpMethod.Post, "/api/cases", people.Board, new
                {
                    incidentType = "Zedenmisdrijf", victim = new { kind = "Student", age = "Minor", afhankelijkheidsrelatie = false },
                    accusedRole = "MetTakenBelastPersoon", boardLearnedAt = DateTimeOffset.UtcNow.AddHours(-1), facts = "Feitenrelaas van de duurtest",
                })), async r => id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                if (id == default) return;
                cases.Enqueue(id);
                while (cases.Count > 50) cases.TryDequeue(out _);
                // The sweep may escalate this very case at the same moment (the load makes duties due): then the step loses the
                // race and answers 409 "Concurrent change", and the client reloads and tries again, as the portal tells a person to.
                for (var attempt = 1; attempt <= 3; attempt++)
                {
                    var conflict = false;
                    await Timed("overleg", async () =>
                    {
                        var r = await http.SendAsync(As(HttpMethod.Post, $"/api/cases/{id}/consultation", people.Board,
                            new { inspectorId = people.InspectorId, factsGiven = "Feiten gedeeld met de inspecteur" }));
                        if (r.StatusCode == HttpStatusCode.Conflict && attempt < 3)
                        {
                            conflict = true;
                            Interlocked.Increment(ref conflicts);
                            r.StatusCode = HttpStatusCode.OK; // counted as a conflict, not an error
                        }
                        return r;
                    });
                    if (!conflict) break;
                }
                await Timed("outcome", () => http.SendAsync(As(HttpMethod.Post, $"/api/cases/{id}/outcome", people.Inspector,
                    new { outcome = "NoReasonableSuspicion", reasoning = "Onderbouwing van de uitkomst" })));
            }),
        };
        Task Loop(Func<Task> body) => Task.Run(async () => { while (!stop.IsCancellationRequested) await body(); });

        // The sweep and delivery every few seconds, with some duties made due each time.
        var jobRuns = 0;
        var jobFailures = 0;
        var jobLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Rig.Execute(db.ConnectionString, """
                    UPDATE duties SET due_at = now() - interval '1 hour', next_action_at = now() - interval '1 minute'
                    WHERE id IN (SELECT id FROM duties WHERE met_at IS NULL AND escalation_count = 0 ORDER BY opened_at LIMIT 20)
                    """);
                if (await jobs.Wait(jobs.Sweep(), TimeSpan.FromSeconds(60)) != "Succeeded") Interlocked.Increment(ref jobFailures);
                if (await jobs.Wait(jobs.Deliver(), TimeSpan.FromSeconds(60)) != "Succeeded") Interlocked.Increment(ref jobFailures);
                jobRuns++;
                try { await Task.Delay(TimeSpan.FromSeconds(5), stop.Token); } catch (OperationCanceledException) { }
            }
        });

        var rss = new List<(double At, double Mb)>();
        var every = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 120, 1, 10));
        while (Now() < duration.TotalSeconds)
        {
            rss.Add((Now(), server.RssMb));
            await Task.Delay(every);
        }
        await stop.CancelAsync();
        await Task.WhenAll(workers.Append(jobLoop));
        rss.Add((Now(), server.RssMb));

        // Memory: the slope of a least-squares line through the samples after the first fifth (start-up and warm-up).
        var settled = rss.Where(s => s.At >= duration.TotalSeconds / 5).ToList();
        var slope = Slope(settled) * 60;
        var lat = latencies.ToList();
        var fifth = duration.TotalSeconds / 5;
        var early = lat.Where(l => l.At >= fifth / 2 && l.At < fifth + fifth / 2).Select(l => l.Ms).ToList();
        var late = lat.Where(l => l.At >= duration.TotalSeconds - fifth).Select(l => l.Ms).ToList();
        var figures = new Figures(slope, settled.FirstOrDefault().Mb, rss[^1].Mb, Rig.Percentile(early, 0.5), Rig.Percentile(early, 0.95),
            Rig.Percentile(late, 0.5), Rig.Percentile(late, 0.95), requests, errors.Count);
        var (mails, _, twice, missing) = await MailOutage.Delivered(db.ConnectionString, smtp);
        var half = await Rig.HalfWritten(db.ConnectionString);
        var audit = await Rig.VerifyAudit(db.ConnectionString);
        if (chart is not null) Plot(rss, chart, slope);

        var broken = new List<string>();
        if (!errors.IsEmpty) broken.Add($"{errors.Count} error(s): {string.Join(", ", errors.Distinct().Take(5))}");
        if (jobFailures > 0) broken.Add($"{jobFailures} job run(s) failed");
        if (twice > 0 || missing > 0) broken.Add($"mail: {twice} twice, {missing} missing at the sink");
        if (half > 0) broken.Add($"{half} half-written");
        if (audit is not null) broken.Add($"audit chain broken at {audit}");
        // Only a long run says anything about memory and latency drift; a short one (a test) is checked for errors only.
        if (duration >= TimeSpan.FromMinutes(5))
        {
            if (slope > 2) broken.Add($"memory grows {slope:F2} MB/min");
            if (figures.P95End > 2 * figures.P95Start + 20) broken.Add($"p95 at the end {figures.P95End:F1} ms against {figures.P95Start:F1} ms at the start");
        }
        var result = new FaultResult("soak",
            $"{duration.TotalMinutes:F1} min mixed load, {requests:N0} requests, {errors.Count} errors, {conflicts} step(s) retried after a 409 (raced the sweep); {jobRuns} sweep+delivery runs, {mails:N0} mails delivered ({twice} twice); " +
            $"RSS {figures.RssStartMb:F0} → {figures.RssEndMb:F0} MB, slope {slope:+0.00;-0.00} MB/min; p50/p95 start {figures.P50Start:F1}/{figures.P95Start:F1} ms, " +
            $"end {figures.P50End:F1}/{figures.P95End:F1} ms; half-written {half}; audit {(audit is null ? "intact" : "BROKEN")}", broken);
        return (result, figures);
    }

    private static double Slope(List<(double At, double Mb)> xs)
    {
        if (xs.Count < 2) return 0;
        var mx = xs.Average(x => x.At);
        var my = xs.Average(x => x.Mb);
        var den = xs.Sum(x => (x.At - mx) * (x.At - mx));
        return den == 0 ? 0 : xs.Sum(x => (x.At - mx) * (x.Mb - my)) / den;
    }

    private static void Plot(List<(double At, double Mb)> rss, string path, double slope)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(rss.Select(r => r.At / 60).ToArray(), rss.Select(r => r.Mb).ToArray());
        line.LegendText = $"app resident memory (slope {slope:+0.00;-0.00} MB/min)";
        plot.Axes.Bottom.Label.Text = "minutes";
        plot.Axes.Left.Label.Text = "RSS (MB)";
        plot.Axes.SetLimitsY(0, Math.Max(1, rss.Max(r => r.Mb)) * 1.2);
        plot.Title("CaseHandling soak: the app's resident memory under mixed load");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 900, 420);
    }
}
