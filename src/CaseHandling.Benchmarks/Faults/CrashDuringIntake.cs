using System.Collections.Concurrent;
using System.Diagnostics;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenario 1: reports arrive from many clients while the app is killed (SIGKILL) at random moments and started again.
/// Every report whose receipt code reached a client must be there afterwards, whole and readable; nothing half-written.
/// </summary>
public static class CrashDuringIntake
{
    public static async Task<FaultResult> RunAsync(string adminConnectionString, int clients, int kills, TextWriter log, int seed = 13)
    {
        var random = new Random(seed);
        await using var db = await BenchDatabase.CreateAsync(adminConnectionString);
        var args = Rig.AppArgs("Api", null);
        var server = await ServerProcess.StartAsync(db.ConnectionString, args);
        var port = server.Port;
        using var http = Rig.Client(server.Address);
        var people = await Rig.Setup(http, "crash");

        var acks = new ConcurrentQueue<Acknowledged>();
        long attempts = 0, refused = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var marker = $"k{c}x{n}";
                Interlocked.Increment(ref attempts);
                var (code, _) = await Rig.Submit(http, people.Institution, marker);
                if (code is not null) acks.Enqueue(new Acknowledged(code, marker));
                else
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(50); // the server is down or starting: try again, as a reporter's browser would
                }
            }
        })).ToList();

        var downtime = new List<double>();
        try
        {
            for (var k = 0; k < kills; k++)
            {
                // A random moment while reports are coming in: after at least some were acknowledged since the last start.
                var before = acks.Count;
                await Task.Delay(random.Next(300, 1500));
                for (var i = 0; i < 100 && acks.Count == before; i++) await Task.Delay(50);
                await server.KillAsync();
                var sw = Stopwatch.StartNew();
                await server.DisposeAsync();
                server = await ServerProcess.StartAsync(db.ConnectionString, args, port);
                downtime.Add(sw.Elapsed.TotalSeconds);
            }
            await Task.Delay(500);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        var acknowledged = acks.ToList();
        var (found, missing) = await Rig.CheckAcknowledged(db.ConnectionString, http, people.Handler, acknowledged);
        var inDb = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM reports");
        var half = await Rig.HalfWritten(db.ConnectionString);
        var audit = await Rig.VerifyAudit(db.ConnectionString);
        await server.DisposeAsync();

        var broken = new List<string>();
        if (found != acknowledged.Count) broken.Add($"{acknowledged.Count - found} acknowledged report(s) not found whole: {string.Join(", ", missing)}");
        if (half != 0) broken.Add($"{half} half-written report(s) or case(s)");
        if (audit is not null) broken.Add($"audit chain broken at {audit}");
        if (acknowledged.Count == 0) broken.Add("no report was acknowledged at all");
        return new FaultResult("crash during intake",
            $"{kills} kills (kill -9), {clients} clients, {attempts:N0} submissions; acknowledged {acknowledged.Count:N0}, found {found:N0}, " +
            $"lost {acknowledged.Count - found}; {inDb - acknowledged.Count} stored but unacknowledged (killed before the answer); half-written {half}; " +
            $"audit {(audit is null ? "intact" : "BROKEN")}; restart median {Rig.Percentile(downtime, 0.5):F1} s", broken);
    }
}
