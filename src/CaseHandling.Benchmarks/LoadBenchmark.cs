using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bogus;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Infrastructure.Encryption;
using Npgsql;
using NpgsqlTypes;

namespace CaseHandling.Benchmarks;

public sealed record LevelResult(int Concurrency, double CeilingTps, double IntakeRps, double P50Ms, double P95Ms, double P99Ms, long Errors, bool Pinned = false)
{
    public double Ratio => CeilingTps == 0 ? 0 : IntakeRps / CeilingTps;

    /// <summary>The trivial EF endpoint's rate at this level and core layout (<see cref="TrivialEndpoint"/>), and its p99; 0 when not measured.</summary>
    public double ReferenceRps { get; init; }
    public double ReferenceP99Ms { get; init; }
    public double ReferenceRatio => CeilingTps == 0 ? 0 : ReferenceRps / CeilingTps;
}

public sealed record QueryResult(string Name, int Samples, double P50Ms, double P99Ms);

public sealed record LoadResult(IReadOnlyList<LevelResult> Levels, IReadOnlyList<QueryResult> Queries, long Cases, double DatabaseMbPer1000Cases, double PeakMemoryMb);

/// <summary>
/// The load benchmark (issue: measured performance): PostgreSQL's own ceiling for one-row INSERT transactions,
/// then anonymous report intake through the real HTTP API at the same concurrency levels, the ratio of the two;
/// then a national database (1,000,000 cases with duties and timelines, made with Bogus) and the staff queries
/// against it; and the app's peak memory throughout.
/// </summary>
public static class LoadBenchmark
{
    private const string AdminEmail = "bench-admin@bench.casehandling.nl";
    private const string Password = "Bench-wachtwoord-2026";

    /// <param name="intakeOnly">Stop after the intake (no national database, no queries): the quick run for the intake's ratio.</param>
    /// <param name="pin">
    /// Also measure the ceiling and the intake again with the app and PostgreSQL on separate cores (taskset), e.g. ("0", "1"):
    /// after the unpinned levels, the postmaster and every backend go to <c>pin.Database</c> and the app's threads to
    /// <c>pin.App</c>; the load generator (this process) is left free. Both are set back to every core afterwards.
    /// </param>
    public static async Task<LoadResult> RunAsync(string adminConnectionString, int[] levels, TimeSpan perLevel, int cases, int querySamples,
        TextWriter output, string? chartPath, bool intakeOnly = false, (string App, string Database)? pin = null, bool figuresOnly = false)
    {
        await using var bench = await BenchDatabase.CreateAsync(adminConnectionString);
        if (figuresOnly) levels = [];
        // Recorded with every run: PostgreSQL's tails and CPU per statement differ by a third with and without huge pages
        // (docs/PERFORMANCE.md), so a figure means little without this line.
        output.WriteLine($"host: {Environment.ProcessorCount} cores; {HugePages()}");

        // 1: the ceiling at every level first, before the app holds connections of its own (max_connections is 100 by default).
        await bench.Execute("CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY, payload text NOT NULL)");
        var ceilings = new Dictionary<int, double>();
        foreach (var c in levels) ceilings[c] = await Ceiling(bench.ConnectionString, c, perLevel);
        await bench.Execute("DROP TABLE bench_ceiling");

        await using var server = await ServerProcess.StartAsync(bench.ConnectionString,
            ["--Bootstrap:AdminEmail=" + AdminEmail, "--Bootstrap:AdminPassword=" + Password]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            { BaseAddress = server.Address };
        var admin = await SignIn(http, AdminEmail, Password);
        var institution = await Post<JsonElement>(http, admin, "/api/admin/institutions", new { name = "Benchmark-instelling", sector = "Ho", contactEmail = "bestuur@example.org" });
        var institutionId = institution.GetProperty("id").GetGuid();

        // 2–3: intake at each level, after a warm-up (the JIT's tiers settle; not measured).
        var results = new List<LevelResult>();
        if (!figuresOnly) await Intake(http, institutionId, 8, perLevel);
        foreach (var c in levels)
        {
            var ceiling = ceilings[c];
            var cpu = await CpuSample.TakeAsync(server.ProcessId, bench.ConnectionString);
            var (rps, p50, p95, p99, errors) = await Intake(http, institutionId, c, perLevel);
            var cost = await cpu.PerRequestAsync(rps * perLevel.TotalSeconds);
            results.Add(new LevelResult(c, ceiling, rps, p50, p95, p99, errors));
            // The ratio with one decimal: the issue's target is 20 %, and a whole percent rounded 19.5 % up to it.
            output.WriteLine($"concurrency {c,3}: ceiling {ceiling,8:N0} TPS | intake {rps,7:N0} req/s ({rps / ceiling:P1}) p50 {p50:F1} ms p95 {p95:F1} ms p99 {p99:F1} ms, errors {errors} | {cost}");
        }
        // 3a: the reference, a trivial EF endpoint inserting one row, at the same levels against the same ceilings.
        if (!figuresOnly) await Reference(bench, results, pinned: false, appCore: null, perLevel, output);

        // 3b: the same with the app and PostgreSQL on cores of their own, in the same run (same database, same app process).
        if (pin is { } cores)
        {
            var postmaster = await Postmaster(bench.ConnectionString);
            try
            {
                Pin(postmaster, cores.Database, withChildren: true);
                Pin(server.ProcessId, cores.App, withChildren: false);
                output.WriteLine($"pinned: app on cpu {cores.App}, PostgreSQL (postmaster {postmaster} and its backends) on cpu {cores.Database}, load generator free");
                await bench.Execute("CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY, payload text NOT NULL)");
                var pinnedCeilings = new Dictionary<int, double>();
                foreach (var c in levels) pinnedCeilings[c] = await Ceiling(bench.ConnectionString, c, perLevel);
                await bench.Execute("DROP TABLE bench_ceiling");
                await Intake(http, institutionId, 8, TimeSpan.FromSeconds(Math.Min(5, perLevel.TotalSeconds)));
                foreach (var c in levels)
                {
                    var ceiling = pinnedCeilings[c];
                    var cpu = await CpuSample.TakeAsync(server.ProcessId, bench.ConnectionString);
                    var (rps, p50, p95, p99, errors) = await Intake(http, institutionId, c, perLevel);
                    var cost = await cpu.PerRequestAsync(rps * perLevel.TotalSeconds);
                    results.Add(new LevelResult(c, ceiling, rps, p50, p95, p99, errors, Pinned: true));
                    output.WriteLine($"pinned {c,3}: ceiling {ceiling,8:N0} TPS | intake {rps,7:N0} req/s ({rps / ceiling:P1}) p50 {p50:F1} ms p95 {p95:F1} ms p99 {p99:F1} ms, errors {errors} | {cost}");
                }
                await Reference(bench, results, pinned: true, appCore: cores.App, perLevel, output);
            }
            finally
            {
                var all = $"0-{Environment.ProcessorCount - 1}";
                Pin(postmaster, all, withChildren: true);
                if (!server.HasExited) Pin(server.ProcessId, all, withChildren: false);
            }
        }

        if (intakeOnly)
        {
            WriteIntakeTable(output, results);
            return new LoadResult(results, [], 0, 0, server.PeakMemoryMb);
        }

        // 4: a national database, then the staff queries.
        var sw = Stopwatch.StartNew();
        var (boardEmail, inspectorEmail) = await SeedNation(bench, http, admin, cases);
        output.WriteLine($"loaded {cases:N0} cases with duties and timelines in {sw.Elapsed.TotalSeconds:F0} s");
        sw.Restart();
        var (handlerEmail, someReport) = await SeedReports(bench, http, admin, Math.Max(1000, cases / 10));
        output.WriteLine($"loaded {Math.Max(1000, cases / 10):N0} meldpunt reports with their service levels in {sw.Elapsed.TotalSeconds:F0} s");
        var board = await SignIn(http, boardEmail, Password);
        var inspector = await SignIn(http, inspectorEmail, Password);
        var handler = await SignIn(http, handlerEmail, Password);
        var someCase = (await Get<JsonElement>(http, board, "/api/cases")).EnumerateArray().First().GetProperty("id").GetGuid();
        var queries = figuresOnly ? [] : new List<QueryResult>
        {
            await Measure(http, board, "board's open duties (GET /api/duties)", "/api/duties", querySamples),
            await Measure(http, board, "case timeline (GET /api/cases/{id})", $"/api/cases/{someCase}", querySamples),
            await Measure(http, inspector, "inspector's queue (GET /api/consultations)", "/api/consultations", querySamples),
        };
        if (!figuresOnly) await WorkLists(queries);
        async Task WorkLists(List<QueryResult> queries)
        {
            // The same three as the staff portal's pages, rendered in Dutch, each under a sign-in cookie as a browser has it.
            using var boardPages = await PageSession(http.BaseAddress!, boardEmail, Password);
            using var inspectorPages = await PageSession(http.BaseAddress!, inspectorEmail, Password);
            queries.Add(await MeasurePage(boardPages, "page: board's work list (GET /portaal/taken)", "/portaal/taken", querySamples));
            queries.Add(await MeasurePage(boardPages, "page: case page (GET /portaal/zaken/{id})", $"/portaal/zaken/{someCase}", querySamples));
            queries.Add(await MeasurePage(inspectorPages, "page: inspector's queue (GET /portaal/overleggen)", "/portaal/overleggen", querySamples));
            queries.Add(await MeasurePage(boardPages, "page: case list, overdue only (GET /portaal/zaken?telaat=true)", "/portaal/zaken?telaat=true", querySamples));
            queries.Add(await MeasurePage(inspectorPages, "page: the inspectorate's case list (GET /portaal/zaken)", "/portaal/zaken", querySamples));
            // The meldpunt handler's inbox and a report, among a tenth as many reports as cases, most of them closed.
            using var handlerPages = await PageSession(http.BaseAddress!, handlerEmail, Password);
            queries.Add(await Measure(http, handler, "meldpunt inbox (GET /api/meldpunt/reports)", "/api/meldpunt/reports", querySamples));
            queries.Add(await MeasurePage(handlerPages, "page: meldpunt inbox (GET /portaal/meldingen)", "/portaal/meldingen", querySamples));
            queries.Add(await MeasurePage(handlerPages, "page: report page (GET /portaal/meldingen/{id})", $"/portaal/meldingen/{someReport}", querySamples));
        }
        // The monitoring figures, counted in PostgreSQL and suppressed in memory (docs/STATISTICS.md): a board's sector, and
        // the administrator's whole country. Fewer samples: these are reports, not work lists.
        var figureSamples = Math.Max(5, querySamples / 20);
        queries.Add(await Measure(http, board, "figures, a board's own institution and sector (GET /api/figures)", "/api/figures", figureSamples));
        queries.Add(await Measure(http, admin, "figures, every institution (GET /api/figures as administrator)", "/api/figures", figureSamples));
        var totalCases = await bench.Scalar<long>("SELECT count(*) FROM cases");
        var dbBytes = await bench.Scalar<long>("SELECT pg_database_size(current_database())");
        var result = new LoadResult(results, queries, totalCases, dbBytes / 1024.0 / 1024.0 / (totalCases / 1000.0), server.PeakMemoryMb);

        WriteIntakeTable(output, results);
        output.WriteLine($"| query at {totalCases:N0} cases | samples | p50 | p99 |");
        output.WriteLine("|---|---|---|---|");
        foreach (var q in queries) output.WriteLine($"| {q.Name} | {q.Samples} | {q.P50Ms:F2} ms | {q.P99Ms:F2} ms |");
        output.WriteLine();
        output.WriteLine($"database size: {dbBytes / 1024.0 / 1024:N0} MB, {result.DatabaseMbPer1000Cases:F2} MB per 1,000 cases");
        output.WriteLine($"app peak memory (VmHWM): {result.PeakMemoryMb:F0} MB");
        if (chartPath is not null) Chart.Write(results.Where(r => !r.Pinned).ToList(), chartPath);
        return result;
    }

    private static void WriteIntakeTable(TextWriter output, IReadOnlyList<LevelResult> results)
    {
        output.WriteLine();
        output.WriteLine("| cores | concurrency | PostgreSQL ceiling (1-row INSERT TPS) | intake (req/s) | intake / ceiling | p50 | p95 | p99 | errors | trivial EF endpoint (req/s) | trivial / ceiling | trivial p99 |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var l in results)
            output.WriteLine($"| {(l.Pinned ? "pinned" : "shared")} | {l.Concurrency} | {l.CeilingTps:N0} | {l.IntakeRps:N0} | {l.Ratio:P1} | {l.P50Ms:F1} ms | {l.P95Ms:F1} ms | {l.P99Ms:F1} ms | {l.Errors} | {l.ReferenceRps:N0} | {l.ReferenceRatio:P0} | {l.ReferenceP99Ms:F1} ms |");
        output.WriteLine();
    }

    /// <summary>
    /// The trivial EF endpoint (<see cref="TrivialEndpoint"/>) at each level of <paramref name="results"/> with this core
    /// layout, its own process on the app's core when pinned, the same database and ceilings; each level's result gets its rate.
    /// </summary>
    private static async Task Reference(BenchDatabase bench, List<LevelResult> results, bool pinned, string? appCore, TimeSpan perLevel, TextWriter output)
    {
        await bench.Execute(TrivialEndpoint.Table);
        var (process, address) = await TrivialEndpoint.StartAsync(bench.ConnectionString);
        try
        {
            if (appCore is not null) Pin(process.Id, appCore, withChildren: false);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
                { BaseAddress = address };
            var body = JsonSerializer.SerializeToUtf8Bytes(new { text = new Faker("nl").Lorem.Paragraphs(2) });
            await Drive(http, "/rows", body, 8, TimeSpan.FromSeconds(Math.Min(5, perLevel.TotalSeconds)));
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].Pinned != pinned) continue;
                var (rps, _, _, p99, errors) = await Drive(http, "/rows", body, results[i].Concurrency, perLevel);
                results[i] = results[i] with { ReferenceRps = rps, ReferenceP99Ms = p99 };
                output.WriteLine($"{(pinned ? "pinned" : "shared")} {results[i].Concurrency,3}: trivial EF endpoint {rps,7:N0} req/s ({rps / results[i].CeilingTps:P0} of the ceiling) p99 {p99:F1} ms, errors {errors}; intake is {results[i].IntakeRps / rps:P0} of it");
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            await bench.Execute("DROP TABLE bench_trivial");
        }
    }

    /// <summary>
    /// CPU time (user + system, from /proc) of the app process and of PostgreSQL's processes over one intake level, per
    /// accepted report: what a report costs each side, which other work on a shared machine slows but does not inflate.
    /// </summary>
    private sealed class CpuSample
    {
        private int _app, _postmaster;
        private double _appStart, _dbStart;

        public static async Task<CpuSample> TakeAsync(int app, string cs)
        {
            var s = new CpuSample { _app = app, _postmaster = await Postmaster(cs) };
            (s._appStart, s._dbStart) = (Seconds(app), Database(s._postmaster));
            return s;
        }

        public Task<string> PerRequestAsync(double requests)
        {
            var (app, db) = ((Seconds(_app) - _appStart) * 1000 / requests, (Database(_postmaster) - _dbStart) * 1000 / requests);
            return Task.FromResult($"CPU per report: app {app:F2} ms, PostgreSQL {db:F2} ms");
        }

        // Backends that end during the level take their time with them; the app's pooled connections stay for the whole level.
        private static double Database(int postmaster) => Seconds(postmaster) + (File.Exists($"/proc/{postmaster}/task/{postmaster}/children")
            ? File.ReadAllText($"/proc/{postmaster}/task/{postmaster}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Sum(p => Seconds(int.Parse(p)))
            : 0);

        private static double Seconds(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s; after "(comm) " the state is index 0.
                return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
            }
            catch (IOException) { return 0; }
        }
    }

    /// <summary>The postmaster: the parent process of this connection's backend (same machine only).</summary>
    private static async Task<int> Postmaster(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_backend_pid()", conn);
        var backend = (int)(await cmd.ExecuteScalarAsync())!;
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the closing parenthesis.
        var stat = await File.ReadAllTextAsync($"/proc/{backend}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }

    /// <summary>taskset -a -p: every thread of the process (and of its child processes: PostgreSQL's backends) to these cpus.</summary>
    private static void Pin(int pid, string cpus, bool withChildren)
    {
        var pids = new List<int> { pid };
        if (withChildren && File.Exists($"/proc/{pid}/task/{pid}/children"))
            pids.AddRange(File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
        foreach (var p in pids)
        {
            using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, p.ToString()])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
            taskset.WaitForExit();
            // A backend may have ended in the meantime; the postmaster and the app must not fail to pin.
            if (taskset.ExitCode != 0 && p == pid) throw new InvalidOperationException($"taskset failed for {pid}: {taskset.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>The kernel's huge pages as /proc/meminfo counts them; in use means some are taken (PostgreSQL with huge_pages=try or on).</summary>
    private static string HugePages()
    {
        try
        {
            var info = File.ReadAllLines("/proc/meminfo").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => long.TryParse(p[1].Trim().Split(' ')[0], out var v) ? v : 0);
            long Get(string key) => info.GetValueOrDefault(key);
            var total = Get("HugePages_Total");
            var taken = total - Get("HugePages_Free") + Get("HugePages_Rsvd");
            return total == 0 ? "huge pages: none (vm.nr_hugepages = 0)" : $"huge pages: {taken} of {total} in use";
        }
        catch (IOException)
        {
            return "huge pages: unknown (no /proc/meminfo)";
        }
    }

    /// <summary>PostgreSQL's own ceiling: one-row INSERT transactions over Npgsql, <paramref name="clients"/> connections.</summary>
    private static async Task<double> Ceiling(string cs, int clients, TimeSpan duration)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        // Unpooled: the connections close afterwards, so they do not count against max_connections while the app runs.
        var unpooled = new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString;
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            await using var conn = new NpgsqlConnection(unpooled);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("INSERT INTO bench_ceiling (payload) VALUES (@p)", conn);
            cmd.Parameters.AddWithValue("p", "x");
            await cmd.PrepareAsync();
            long n = 0;
            while (Stopwatch.GetTimestamp() < until) { await cmd.ExecuteNonQueryAsync(); n++; }
            return n;
        }));
        return counts.Sum() / duration.TotalSeconds;
    }

    /// <summary>Anonymous reports through POST /api/reports, <paramref name="clients"/> at a time, for a fixed time.</summary>
    internal static Task<(double Rps, double P50, double P95, double P99, long Errors)> Intake(HttpClient http, Guid institution, int clients, TimeSpan duration) =>
        Drive(http, "/api/reports", JsonSerializer.SerializeToUtf8Bytes(new
        {
            reporterKind = "Student", anonymous = true, incidentType = "SeksueleIntimidatie",
            whatHappened = new Faker("nl").Lorem.Paragraphs(2), whenHappened = "vorige week", institutionId = institution,
            accusedRole = "MetTakenBelastPersoon", victimWho = "Reporter", victimAge = "Adult", destination = "MeldpuntOnly",
        }), clients, duration);

    /// <summary>POSTs of <paramref name="body"/> to <paramref name="path"/>, <paramref name="clients"/> at a time, for a fixed time; anything but 201 counts as an error.</summary>
    private static async Task<(double Rps, double P50, double P95, double P99, long Errors)> Drive(HttpClient http, string path, byte[] body, int clients, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        var latencies = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var mine = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < until)
            {
                var t = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(path, content);
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if ((int)response.StatusCode != 201) Interlocked.Increment(ref errors);
            }
            return mine;
        }));
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var all = latencies.SelectMany(x => x).Order().ToList();
        return (all.Count / elapsed, Pct(all, 0.50), Pct(all, 0.95), Pct(all, 0.99), errors);
    }

    private static Task<QueryResult> Measure(HttpClient http, string token, string name, string path, int samples) =>
        Time(name, samples, () => Get<JsonElement>(http, token, path));

    /// <summary>p50 and p99 of <paramref name="samples"/> sequential calls, after 20 to warm up.</summary>
    private static async Task<QueryResult> Time(string name, int samples, Func<Task> call)
    {
        for (var i = 0; i < 20; i++) await call();
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await call();
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        times.Sort();
        return new QueryResult(name, samples, Pct(times, 0.50), Pct(times, 0.99));
    }

    /// <summary>
    /// A national database: 1,000 institutions, <paramref name="cases"/> cases in the states of the chain with their duties and
    /// timelines (Bogus, Dutch), 20 vertrouwensinspecteurs; written with binary COPY. One board and one inspector to query as.
    /// </summary>
    private static async Task<(string Board, string Inspector)> SeedNation(BenchDatabase bench, HttpClient http, string admin, int cases)
    {
        const int institutionCount = 1000, inspectorCount = 20;
        var faker = new Faker("nl") { Random = new Randomizer(42) };
        var institutions = Enumerable.Range(0, institutionCount).Select(_ => Guid.NewGuid()).ToArray();
        var sectorOf = new Dictionary<Guid, string>();
        await using var conn = new NpgsqlConnection(bench.ConnectionString);
        await conn.OpenAsync();
        await using (var w = await conn.BeginBinaryImportAsync("COPY institutions (id, name, sector, contact_email) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in institutions)
            {
                await w.StartRowAsync();
                await w.WriteAsync(id);
                await w.WriteAsync(faker.Company.CompanyName());
                sectorOf[id] = faker.PickRandom("Po", "Vo", "So", "Mbo", "Ho");
                await w.WriteAsync(sectorOf[id]);
                await w.WriteAsync("bestuur@example.org");
            }
            await w.CompleteAsync();
        }

        var boardEmail = "bench-bestuur@bench.casehandling.nl";
        await Post<JsonElement>(http, admin, "/api/admin/users", new { email = boardEmail, displayName = "Bestuur", password = Password, role = "Board", institutionId = institutions[0] });
        var inspectors = new List<string>();
        for (var i = 0; i < inspectorCount; i++)
        {
            var u = await Post<JsonElement>(http, admin, "/api/admin/users",
                new { email = $"bench-inspecteur{i}@bench.casehandling.nl", displayName = faker.Name.FullName(), password = Password, role = "Vertrouwensinspecteur" });
            inspectors.Add(u.GetProperty("id").GetString()!);
        }

        var now = DateTimeOffset.UtcNow;
        string[] states = ["Registered", "ConsultationStarted", "ConsultationStarted", "NoReasonableSuspicion", "AangifteFiled", "Closed", "Closed", "Closed", "Closed", "Closed"];
        var sentences = Enumerable.Range(0, 500).Select(_ => faker.Lorem.Sentence(12)).ToArray();
        await using (var cw = await conn.BeginBinaryImportAsync("""
            COPY cases (id, number, institution_id, sector, incident_type, reported_incident_type, victim_kind, victim_age, afhankelijkheidsrelatie,
                        accused_role, opened_via, opened_by_user_id, board_learned_at, regime_id, coverage, coverage_reason, state, inspector_user_id,
                        opened_at, last_changed_at, overleg_started_at, aangifte_filed_at, last_conclusion) FROM STDIN (FORMAT BINARY)
            """))
        await using (var conn2 = new NpgsqlConnection(bench.ConnectionString))
        {
            await conn2.OpenAsync();
            await using var conn3 = new NpgsqlConnection(bench.ConnectionString);
            await conn3.OpenAsync();
            await using var dw = await conn2.BeginBinaryImportAsync("""
                COPY duties (id, case_id, institution_id, kind, step, responsible, legal_basis, regime_id, opened_at, due_at, met_at,
                             reminder_times, next_action_at, next_action_seq, escalation_count, assignee_user_id) FROM STDIN (FORMAT BINARY)
                """);
            await using var conn4 = new NpgsqlConnection(bench.ConnectionString);
            await conn4.OpenAsync();
            // Every case has its data key, wrapped by the server's key-encryption key, and sealed timeline details, as the app writes them
            // (the benchmark server keeps its key store in its own database: ConnectionStrings:KeyStore is not set).
            await using var kw = await conn4.BeginBinaryImportAsync("COPY data_keys (subject_id, kek_id, wrapped_key, created_at) FROM STDIN (FORMAT BINARY)");
            var detailsSpec = SealedFields.ByType[typeof(CaseEvent)];
            var detailsField = detailsSpec.Fields.Single(f => f.Property == nameof(CaseEvent.DetailsJson));
            await using var ew = await conn3.BeginBinaryImportAsync("""
                COPY case_events (id, case_id, sequence, at, actor_user_id, actor_role, kind, from_state, to_state, details_json) FROM STDIN (FORMAT BINARY)
                """);
            var rnd = new Random(7);
            for (var i = 0; i < cases; i++)
            {
                var id = Guid.CreateVersion7();
                var inst = i < 1000 ? institutions[0] : institutions[rnd.Next(institutionCount)];
                var state = states[rnd.Next(states.Length)];
                var consulted = state != "Registered";
                var inspector = consulted ? inspectors[rnd.Next(inspectorCount)] : null;
                var learned = now.AddDays(-rnd.Next(1, 3 * 365));
                // The steps taken: the overleg started after 20 hours, concluded after two days; with a reasonable suspicion,
                // the parties informed after three and the aangifte filed 3 to 22 days after the board learned of it.
                var concluded = consulted && state != "ConsultationStarted";
                var reasonable = concluded && (state == "AangifteFiled" || (state == "Closed" && rnd.Next(2) == 0));
                DateTimeOffset? started = consulted ? learned.AddHours(20) : null;
                DateTimeOffset? filed = reasonable ? learned.AddDays(3 + rnd.Next(20)) : null;
                string? conclusion = !concluded ? null : reasonable ? "ConcludeReasonableSuspicion" : "ConcludeNoReasonableSuspicion";
                var dataKey = ContentCipher.NewKey();
                await kw.StartRowAsync();
                await kw.WriteAsync(id);
                await kw.WriteAsync(ServerProcess.KekId);
                await kw.WriteAsync(DataKeys.Wrap(ServerProcess.Kek, ServerProcess.KekId, id, dataKey));
                await kw.WriteAsync(learned);
                await cw.StartRowAsync();
                await cw.WriteAsync(id);
                await cw.WriteAsync($"N-{i + 1:D7}");
                await cw.WriteAsync(inst);
                await cw.WriteAsync(sectorOf[inst]); // a case is of its institution's sector, as the app makes it
                await cw.WriteAsync("Zedenmisdrijf");
                await cw.WriteAsync("Zedenmisdrijf");
                await cw.WriteAsync("Student");
                await cw.WriteAsync(rnd.Next(3) == 0 ? "Adult" : "Minor");
                await cw.WriteAsync(false);
                await cw.WriteAsync("MetTakenBelastPersoon");
                await cw.WriteAsync("BoardRegistration");
                await cw.WriteAsync("bench");
                await cw.WriteAsync(learned);
                await cw.WriteAsync("wetsvoorstel-36777");
                await cw.WriteAsync("Full");
                await cw.WriteAsync("Uitgebreid regime: volledige keten");
                await cw.WriteAsync(state);
                if (inspector is null) await cw.WriteNullAsync(); else await cw.WriteAsync(inspector);
                await cw.WriteAsync(learned);
                await cw.WriteAsync(learned);
                if (started is { } s) await cw.WriteAsync(s); else await cw.WriteNullAsync();
                if (filed is { } f) await cw.WriteAsync(f); else await cw.WriteNullAsync();
                if (conclusion is null) await cw.WriteNullAsync(); else await cw.WriteAsync(conclusion);

                // Duties: step 2 (open while Registered), step 3 (open while the overleg runs).
                async Task Duty(string kind, short step, string responsible, DateTimeOffset opened, bool open)
                {
                    var due = opened.AddDays(2);
                    await dw.StartRowAsync();
                    await dw.WriteAsync(Guid.CreateVersion7());
                    await dw.WriteAsync(id);
                    await dw.WriteAsync(inst);
                    await dw.WriteAsync(kind);
                    await dw.WriteAsync((int)step);
                    await dw.WriteAsync(responsible);
                    await dw.WriteAsync("WHW art. 1.20 lid 1");
                    await dw.WriteAsync("wetsvoorstel-36777");
                    await dw.WriteAsync(opened);
                    await dw.WriteAsync(due);
                    if (open) await dw.WriteNullAsync(); else await dw.WriteAsync(opened.AddHours(20));
                    await dw.WriteAsync(Array.Empty<DateTimeOffset>(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
                    if (open) await dw.WriteAsync(due); else await dw.WriteNullAsync();
                    await dw.WriteAsync(0);
                    await dw.WriteAsync(0);
                    if (responsible == "Vertrouwensinspecteur" && inspector is not null) await dw.WriteAsync(inspector); else await dw.WriteNullAsync();
                }
                await Duty("StartOverleg", 2, "Board", learned, open: !consulted);
                if (consulted) await Duty("ConcludeOverleg", 3, "Vertrouwensinspecteur", learned.AddHours(20), open: state == "ConsultationStarted");

                // Timeline: opened, and the steps taken.
                var seq = 0;
                async Task Event(string kind, string? from, string to, DateTimeOffset at, string? role)
                {
                    await ew.StartRowAsync();
                    var eventId = Guid.CreateVersion7();
                    await ew.WriteAsync(eventId);
                    await ew.WriteAsync(id);
                    await ew.WriteAsync(++seq);
                    await ew.WriteAsync(at);
                    await ew.WriteAsync("bench");
                    if (role is null) await ew.WriteNullAsync(); else await ew.WriteAsync(role);
                    await ew.WriteAsync(kind);
                    if (from is null) await ew.WriteNullAsync(); else await ew.WriteAsync(from);
                    await ew.WriteAsync(to);
                    var details = JsonSerializer.Serialize(new { facts = sentences[rnd.Next(sentences.Length)] });
                    await ew.WriteAsync(ContentCipher.Seal(dataKey, details, SealedFields.Context(id, eventId, detailsSpec, detailsField)), NpgsqlDbType.Text);
                }
                await Event("Opened", null, consulted ? "Registered" : state, learned, "Board");
                // The kinds the app records (CaseTrigger's wire names), as on the case's row.
                if (started is { } start) await Event("StartConsultation", "Registered", "ConsultationStarted", start, "Board");
                if (conclusion is not null)
                    await Event(conclusion, "ConsultationStarted", reasonable ? "ReasonableSuspicion" : state, learned.AddDays(2), "Vertrouwensinspecteur");
                if (filed is { } at)
                {
                    await Event("InformParties", "ReasonableSuspicion", "PartiesInformed", learned.AddDays(3), "Board");
                    await Event("FileAangifte", "PartiesInformed", state, at, "Board");
                }
            }
            await cw.CompleteAsync();
            await dw.CompleteAsync();
            await ew.CompleteAsync();
            await kw.CompleteAsync();
        }
        await bench.Execute("VACUUM ANALYZE");
        return (boardEmail, "bench-inspecteur0@bench.casehandling.nl");
    }

    /// <summary>
    /// The meldpunt's history: <paramref name="count"/> reports (Bogus, Dutch) at a thousand institutions, nine in ten closed with their
    /// service levels met, the rest open with the acknowledgement or the feedback due; sealed under their own data keys as the app
    /// writes them. Returns the handler to query as and an open report.
    /// </summary>
    private static async Task<(string Handler, Guid Report)> SeedReports(BenchDatabase bench, HttpClient http, string admin, int count)
    {
        const string handlerEmail = "bench-meldpunt@bench.casehandling.nl";
        await Post<JsonElement>(http, admin, "/api/admin/users", new { email = handlerEmail, displayName = "Meldpunt", password = Password, role = "MeldpuntHandler" });
        var institutions = new List<Guid>();
        await using (var conn = new NpgsqlConnection(bench.ConnectionString))
        {
            await conn.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT id FROM institutions", conn);
            await using var r = await read.ExecuteReaderAsync();
            while (await r.ReadAsync()) institutions.Add(r.GetGuid(0));
        }
        var faker = new Faker("nl") { Random = new Randomizer(43) };
        var sentences = Enumerable.Range(0, 500).Select(_ => faker.Lorem.Paragraph()).ToArray();
        var spec = SealedFields.ByType[typeof(CaseHandling.Domain.Reports.Report)];
        var what = spec.Fields.Single(f => f.Property == nameof(CaseHandling.Domain.Reports.Report.WhatHappened));
        var when = spec.Fields.Single(f => f.Property == nameof(CaseHandling.Domain.Reports.Report.WhenHappened));
        await using var c1 = new NpgsqlConnection(bench.ConnectionString);
        await using var c2 = new NpgsqlConnection(bench.ConnectionString);
        await using var c3 = new NpgsqlConnection(bench.ConnectionString);
        await c1.OpenAsync(); await c2.OpenAsync(); await c3.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var rnd = new Random(11);
        Guid open = Guid.Empty;
        await using (var rw = await c1.BeginBinaryImportAsync("""
            COPY reports (id, number, receipt_hash, reporter_kind, anonymous, incident_type, what_happened, when_happened, institution_id, accused_role,
                          victim_who, victim_age, destination, status, submitted_at, last_activity_at, consent_items, forwarded_items, closed_at, legal_hold)
            FROM STDIN (FORMAT BINARY)
            """))
        await using (var dw = await c2.BeginBinaryImportAsync("""
            COPY duties (id, report_id, kind, step, responsible, legal_basis, regime_id, opened_at, due_at, met_at,
                         reminder_times, next_action_at, next_action_seq, escalation_count) FROM STDIN (FORMAT BINARY)
            """))
        await using (var kw = await c3.BeginBinaryImportAsync("COPY data_keys (subject_id, kek_id, wrapped_key, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var id = Guid.CreateVersion7();
                var closed = rnd.Next(10) != 0;
                var submitted = closed ? now.AddDays(-rnd.Next(30, 3 * 365)) : now.AddDays(-rnd.Next(0, 60));
                var acknowledged = closed || rnd.Next(2) == 0;
                if (!closed && open == Guid.Empty) open = id;
                var key = ContentCipher.NewKey();
                await kw.StartRowAsync();
                await kw.WriteAsync(id); await kw.WriteAsync(ServerProcess.KekId);
                await kw.WriteAsync(DataKeys.Wrap(ServerProcess.Kek, ServerProcess.KekId, id, key)); await kw.WriteAsync(submitted);
                await rw.StartRowAsync();
                await rw.WriteAsync(id);
                await rw.WriteAsync($"B-{i + 1:D7}");
                await rw.WriteAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
                await rw.WriteAsync(faker.PickRandom("Student", "StaffMember", "Other"));
                await rw.WriteAsync(true);
                await rw.WriteAsync(faker.PickRandom("SeksueleIntimidatie", "Bullying", "Discrimination", "Violence", "OtherUnsafety"));
                await rw.WriteAsync(ContentCipher.Seal(key, sentences[rnd.Next(sentences.Length)], SealedFields.Context(id, id, spec, what)), NpgsqlDbType.Text);
                await rw.WriteAsync(ContentCipher.Seal(key, "vorige maand", SealedFields.Context(id, id, spec, when)), NpgsqlDbType.Text);
                await rw.WriteAsync(institutions[rnd.Next(institutions.Count)]);
                await rw.WriteAsync(faker.PickRandom("FellowStudent", "Outsider", "Unknown"));
                await rw.WriteAsync("Reporter");
                await rw.WriteAsync("Adult");
                await rw.WriteAsync("MeldpuntOnly");
                await rw.WriteAsync(closed ? "Closed" : acknowledged ? "InProgress" : "Received");
                await rw.WriteAsync(submitted);
                await rw.WriteAsync(submitted.AddDays(closed ? 20 : 1));
                await rw.WriteAsync(0);
                await rw.WriteAsync(0);
                if (closed) await rw.WriteAsync(submitted.AddDays(20)); else await rw.WriteNullAsync();
                await rw.WriteAsync(false);

                async Task Level(string kind, string basis, DateTimeOffset opened, DateTimeOffset due, DateTimeOffset? met)
                {
                    await dw.StartRowAsync();
                    await dw.WriteAsync(Guid.CreateVersion7()); await dw.WriteAsync(id); await dw.WriteAsync(kind); await dw.WriteAsync(0);
                    await dw.WriteAsync("MeldpuntHandler"); await dw.WriteAsync(basis); await dw.WriteAsync("meldpunt");
                    await dw.WriteAsync(opened); await dw.WriteAsync(due);
                    if (met is { } m) await dw.WriteAsync(m); else await dw.WriteNullAsync();
                    await dw.WriteAsync(Array.Empty<DateTimeOffset>(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
                    if (met is null) await dw.WriteAsync(due); else await dw.WriteNullAsync();
                    await dw.WriteAsync(0); await dw.WriteAsync(0);
                }
                await Level("MeldpuntAcknowledgement", "EU-richtlijn 2019/1937 art. 9 lid 1 sub b", submitted, submitted.AddDays(7), acknowledged ? submitted.AddDays(1) : null);
                if (acknowledged)
                    await Level("MeldpuntFeedback", "EU-richtlijn 2019/1937 art. 9 lid 1 sub f", submitted.AddDays(1), submitted.AddDays(1).AddMonths(3),
                        closed ? submitted.AddDays(20) : null);
            }
            await rw.CompleteAsync();
            await dw.CompleteAsync();
            await kw.CompleteAsync();
        }
        await bench.Execute("VACUUM ANALYZE");
        return (handlerEmail, open);
    }

    /// <summary>A browser's session: the sign-in page's form with its anti-forgery token, then the cookie.</summary>
    private static async Task<HttpClient> PageSession(Uri baseAddress, string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var form = await client.GetStringAsync("/aanmelden");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var r = await client.PostAsync("/aanmelden", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["__RequestVerificationToken"] = token,
        }));
        if (r.StatusCode != System.Net.HttpStatusCode.Redirect) throw new InvalidOperationException($"page sign-in: {(int)r.StatusCode}");
        return client;
    }

    private static Task<QueryResult> MeasurePage(HttpClient session, string name, string path, int samples) =>
        Time(name, samples, async () =>
        {
            using var r = await session.GetAsync(path);
            if (r.StatusCode != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {(int)r.StatusCode}");
            await r.Content.ReadAsByteArrayAsync();
        });

    private static async Task<string> SignIn(HttpClient http, string email, string password)
    {
        using var r = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<T> Post<T>(HttpClient http, string token, string path, object body)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await http.SendAsync(req);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return (await r.Content.ReadFromJsonAsync<T>())!;
    }

    private static async Task<T> Get<T>(HttpClient http, string token, string path)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await http.SendAsync(req);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)r.StatusCode}");
        return (await r.Content.ReadFromJsonAsync<T>())!;
    }

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
