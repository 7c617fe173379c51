using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenarios 5, 6 and 7 of docs/RELIABILITY.md against the app as its own process: two people taking a step on one case
/// at the same moment, requests retried with an Idempotency-Key while the app is killed under them, and one flooder
/// beside ordinary reporters. The tests (ConcurrentStepTests, IdempotencyTests, FairRateLimitTests) show each once; these
/// show them many times over, under load.
/// </summary>
public static class Contention
{
    /// <summary>A request as a client sends it: JSON body, an optional bearer token, Idempotency-Key and If-Match.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpClient http, HttpMethod method, string path, object? body,
        string? token = null, string? idempotencyKey = null)
    {
        using var req = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) req.Headers.Add("Idempotency-Key", idempotencyKey);
        using var r = await http.SendAsync(req);
        var text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, text.Length > 0 && r.Content.Headers.ContentType?.MediaType?.Contains("json") == true ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static object Matter(string marker) => new
    {
        incidentType = "Zedenmisdrijf", victim = new { kind = "Student", age = "Minor", afhankelijkheidsrelatie = false },
        accusedRole = "MetTakenBelastPersoon", boardLearnedAt = DateTimeOffset.UtcNow.AddHours(-1), facts = $"Feiten {marker}",
    };

    private static async Task<string> SecondBoard(HttpClient http, Rig.People people, string tag)
    {
        var email = $"board2-{tag}-{Guid.NewGuid():N}"[..36] + "@faults.casehandling.nl";
        await Rig.Post(http, people.Admin, "/api/admin/users", new { email, displayName = "Bestuur 2", password = Rig.Password, role = "Board", institutionId = people.Institution });
        return await Rig.SignIn(http, email);
    }

    /// <summary>The case's state and its duties with their status, as one comparable line.</summary>
    private static async Task<string> Duties(HttpClient http, string token, Guid id)
    {
        var (_, c) = await Rig.Get(http, token, $"/api/cases/{id}");
        var duties = c.GetProperty("duties").EnumerateArray().Select(d => $"{d.GetProperty("kind").GetString()}:{d.GetProperty("status").GetString()}").Order();
        return $"{c.GetProperty("state").GetString()} | {string.Join(", ", duties)}";
    }

    /// <summary>
    /// Scenario 5: on each of <paramref name="cases"/> cases, two board members start the overleg at the same moment, and
    /// later one records that the parties were informed while the other records that informing was impossible. Exactly one
    /// of each pair wins, the other gets 409, and the case's duties are those of the winner's step alone.
    /// </summary>
    public static async Task<FaultResult> StepsAsync(string admin, int cases, TextWriter log)
    {
        await using var db = await BenchDatabase.CreateAsync(admin);
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, Rig.AppArgs("Api", null));
        using var http = Rig.Client(server.Address);
        var people = await Rig.Setup(http, "steps");
        var second = await SecondBoard(http, people, "steps");
        var broken = new ConcurrentBag<string>();

        async Task<Guid> AtStepFour(string marker)
        {
            var id = (await Rig.Post(http, people.Board, "/api/cases", Matter(marker), HttpStatusCode.Created)).GetProperty("id").GetGuid();
            await Rig.Post(http, people.Board, $"/api/cases/{id}/consultation", new { inspectorId = people.InspectorId, factsGiven = "Feiten" });
            await Rig.Post(http, people.Inspector, $"/api/cases/{id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = "Onderbouwing" });
            return id;
        }
        Task<(HttpStatusCode, JsonElement)> Inform(string token, Guid id) => Send(http, HttpMethod.Post, $"/api/cases/{id}/parties-informed",
            new { informedAt = DateTimeOffset.UtcNow.AddMinutes(-1), parties = new[] { "Parents", "Accused" }, how = "Gesprek" }, token);
        Task<(HttpStatusCode, JsonElement)> Impossible(string token, Guid id) => Send(http, HttpMethod.Post, $"/api/cases/{id}/informing-impossible",
            new { reason = "Onbereikbaar" }, token);

        // What each step leaves when it is taken alone, one after the other.
        var informedAlone = await AtStepFour("ref-a");
        await Inform(people.Board, informedAlone);
        var impossibleAlone = await AtStepFour("ref-b");
        await Impossible(people.Board, impossibleAlone);
        var expected = new Dictionary<string, string>
        {
            ["informed"] = await Duties(http, people.Board, informedAlone),
            ["impossible"] = await Duties(http, people.Board, impossibleAlone),
        };

        int samePairs = 0, conflictPairs = 0, consistent = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, cases), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = (await Rig.Post(http, people.Board, "/api/cases", Matter($"s{i}"), HttpStatusCode.Created)).GetProperty("id").GetGuid();
            var body = new { inspectorId = people.InspectorId, factsGiven = "Feiten" };
            var same = await Task.WhenAll(Send(http, HttpMethod.Post, $"/api/cases/{id}/consultation", body, people.Board),
                Send(http, HttpMethod.Post, $"/api/cases/{id}/consultation", body, second));
            var sameCodes = same.Select(s => s.Status).Order().ToList();
            if (sameCodes.SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict])) Interlocked.Increment(ref samePairs);
            else broken.Add($"case {i}: the same step twice answered {string.Join("/", sameCodes.Select(c => (int)c))}");

            await Rig.Post(http, people.Inspector, $"/api/cases/{id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = "Onderbouwing" });
            var both = await Task.WhenAll(Inform(people.Board, id), Impossible(second, id));
            var codes = both.Select(b => b.Item1).ToList();
            if (codes.Order().SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]))
            {
                Interlocked.Increment(ref conflictPairs);
                var loser = both.First(b => b.Item1 == HttpStatusCode.Conflict).Item2;
                if (loser.ValueKind != JsonValueKind.Object || !loser.TryGetProperty("currentState", out _) && !loser.TryGetProperty("detail", out _))
                    broken.Add($"case {i}: the 409 does not say why");
                var winner = codes[0] == HttpStatusCode.OK ? "informed" : "impossible";
                var duties = await Duties(http, people.Board, id);
                if (duties == expected[winner]) Interlocked.Increment(ref consistent);
                else broken.Add($"case {i}: after '{winner}' won: {duties}, expected {expected[winner]}");
            }
            else broken.Add($"case {i}: conflicting steps answered {string.Join("/", codes.Select(c => (int)c))}");
        });
        var half = await Rig.HalfWritten(db.ConnectionString);
        var audit = await Rig.VerifyAudit(db.ConnectionString);
        if (half != 0) broken.Add($"{half} half-written case(s)");
        if (audit is not null) broken.Add($"audit chain broken at {audit}");
        return new FaultResult("concurrent steps",
            $"{cases} cases; same step twice at once: {samePairs} one-wins-one-409; conflicting steps at once: {conflictPairs} one-wins-one-409, " +
            $"{consistent} with the winner's duties alone; half-written {half}; audit {(audit is null ? "intact" : "BROKEN")}", broken.Take(5).ToList());
    }

    /// <summary>
    /// Scenario 6: clients register cases and file reports, each request with its own Idempotency-Key, and retry it with
    /// the same key until they get an answer, while the app is killed under them <paramref name="kills"/> times. Every
    /// key makes exactly one case or report, and every answer a client got names it.
    /// </summary>
    /// <remarks>
    /// A key whose retries keep getting 409 "in progress" for the whole patience is "stuck": stored, never answered. The
    /// answer is saved in the change's transaction so that a kill between the two cannot leave one (docs/RELIABILITY.md);
    /// <see cref="AnswerWindowAsync"/> aims a kill at that very moment.
    /// </remarks>
    public static async Task<FaultResult> RetriesAsync(string admin, int clients, int kills, TextWriter log, int seed = 6)
    {
        var random = new Random(seed);
        await using var db = await BenchDatabase.CreateAsync(admin);
        var args = Rig.AppArgs("Api", null);
        var server = await ServerProcess.StartAsync(db.ConnectionString, args);
        var port = server.Port;
        using var http = Rig.Client(server.Address);
        var people = await Rig.Setup(http, "retries");

        var reports = new ConcurrentBag<(string Key, string Marker, string Code)>();
        var cases = new ConcurrentBag<(string Key, string Marker, Guid Id)>();
        var mismatched = new ConcurrentBag<string>();
        long stuck = 0;
        long sent = 0, retried = 0;
        using var stop = new CancellationTokenSource();

        // One request, retried with the same key (and the same body) until it is answered: what a careful client does.
        async Task<JsonElement?> UntilAnswered(string path, object body, string? token, HttpStatusCode created, string key)
        {
            var last = "";
            var patience = System.Diagnostics.Stopwatch.StartNew();
            for (var attempt = 0; patience.Elapsed < TimeSpan.FromMinutes(3); attempt++)
            {
                Interlocked.Increment(ref sent);
                if (attempt > 0) Interlocked.Increment(ref retried);
                try
                {
                    var (status, answer) = await Send(http, HttpMethod.Post, path, body, token, key);
                    if (status == created) return answer;
                    last = $"{(int)status} {(answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("detail", out var d) ? d.GetString() : "")}";
                    if (status is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict))
                    {
                        mismatched.Add($"{path}: {(int)status}");
                        return null;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { last = e.GetType().Name; }
                await Task.Delay(Math.Min(50 * (attempt + 1), 1000)); // back off, as a client library does
            }
            if (last.StartsWith("409", StringComparison.Ordinal)) Interlocked.Increment(ref stuck);
            else mismatched.Add($"{path}: never answered ({last})");
            return null;
        }

        var load = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var marker = $"r{c}x{n}";
                var key = $"retry-{c}-{n}-{Guid.NewGuid():N}";
                if (n % 2 == 0)
                {
                    var answer = await UntilAnswered("/api/reports", Rig.Report(people.Institution, marker), null, HttpStatusCode.Created, key);
                    if (answer?.GetProperty("receiptCode").GetString() is { } code) reports.Add((key, marker, code));
                }
                else
                {
                    var answer = await UntilAnswered("/api/cases", Matter(marker), people.Board, HttpStatusCode.Created, key);
                    if (answer?.GetProperty("id").GetGuid() is { } id) cases.Add((key, marker, id));
                }
            }
        })).ToList();

        try
        {
            for (var k = 0; k < kills; k++)
            {
                // A random moment after the restarted app has answered something: the kill lands among requests in flight.
                var before = reports.Count + cases.Count;
                await Task.Delay(random.Next(500, 2000));
                for (var i = 0; i < 600 && reports.Count + cases.Count == before; i++) await Task.Delay(50);
                await server.KillAsync();
                await server.DisposeAsync();
                server = await ServerProcess.StartAsync(db.ConnectionString, args, port);
            }
            await Task.Delay(1000);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        // Each key's report or case is there once; nothing else was made.
        var reportRows = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM reports");
        var caseRows = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM cases");
        var distinctCodes = reports.Select(r => r.Code).Distinct().Count();
        var (found, missing) = await Rig.CheckAcknowledged(db.ConnectionString, http, people.Handler,
            reports.Select(r => new Acknowledged(r.Code, r.Marker)).ToList());
        var casesFound = 0;
        foreach (var (_, marker, id) in cases)
        {
            var (status, detail) = await Rig.Get(http, people.Board, $"/api/cases/{id}");
            if (status == HttpStatusCode.OK && detail.GetRawText().Contains(marker)) casesFound++;
        }
        var half = await Rig.HalfWritten(db.ConnectionString);
        var audit = await Rig.VerifyAudit(db.ConnectionString);
        await server.DisposeAsync();

        var broken = new List<string>();
        // A stuck key's report or case is stored (once) but was never answered.
        if (reportRows > reports.Count + stuck) broken.Add($"{reportRows} reports stored for {reports.Count} answered keys and {stuck} stuck");
        if (caseRows > cases.Count + stuck) broken.Add($"{caseRows} cases stored for {cases.Count} answered keys and {stuck} stuck");
        if (reportRows + caseRows != reports.Count + cases.Count + stuck) broken.Add($"{reportRows + caseRows} stored for {reports.Count + cases.Count + stuck} keys");
        if (stuck > 0) broken.Add($"{stuck} key(s) stuck 'in progress' after a kill: stored once, never answered");
        if (distinctCodes != reports.Count) broken.Add("two keys were answered with one receipt code");
        if (found != reports.Count) broken.Add($"{reports.Count - found} answered report(s) not found whole: {string.Join(", ", missing)}");
        if (casesFound != cases.Count) broken.Add($"{cases.Count - casesFound} answered case(s) not found with their facts");
        if (!mismatched.IsEmpty) broken.Add($"{mismatched.Count} request(s) answered other than created: {string.Join(", ", mismatched.Take(3))}");
        if (half != 0) broken.Add($"{half} half-written");
        if (audit is not null) broken.Add($"audit chain broken at {audit}");
        return new FaultResult("retries with Idempotency-Key",
            $"{kills} kills (kill -9), {clients} clients, {sent:N0} requests of which {retried:N0} retries; keys answered: {reports.Count:N0} reports, " +
            $"{cases.Count:N0} cases; stuck 'in progress' {stuck}; stored: {reportRows:N0} reports, {caseRows:N0} cases (0 twice); half-written {half}; audit {(audit is null ? "intact" : "BROKEN")}",
            broken);
    }

    /// <summary>
    /// Scenario 6, aimed: the app is killed while it saves a request's answer, <paramref name="rounds"/> times, once for
    /// a report and once for a case each round. A trigger holds the saving of an answer (the statement that writes the
    /// sealed answer into the key's row) in pg_sleep, the harness waits until a session sleeps there and kills the app;
    /// the database notices the lost client at once (client_connection_check_interval) and ends the statement. Then the
    /// trigger goes, the app starts again, and the client retries with the same key. The promise: the retry is answered
    /// with a report or case, and exactly one was stored. When the answer was saved after the change's own commit, each
    /// such retry got 409 "in progress" for the key's 24 hours.
    /// </summary>
    public static async Task<FaultResult> AnswerWindowAsync(string admin, int rounds, TextWriter log)
    {
        await using var db = await BenchDatabase.CreateAsync(admin);
        await Rig.Execute(db.ConnectionString, $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(db.ConnectionString).Database}\" SET client_connection_check_interval = '100ms'");
        var args = Rig.AppArgs("Api", null);
        var server = await ServerProcess.StartAsync(db.ConnectionString, args);
        var port = server.Port;
        using var http = Rig.Client(server.Address);
        var people = await Rig.Setup(http, "window");
        var broken = new List<string>();
        int answered = 0, killed = 0;
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (path, body, token, created, table) in new (string, object, string?, HttpStatusCode, string)[]
                {
                    ("/api/reports", Rig.Report(people.Institution, $"w{round}"), null, HttpStatusCode.Created, "reports"),
                    ("/api/cases", Matter($"w{round}"), people.Board, HttpStatusCode.Created, "cases"),
                })
                {
                    var rowsBefore = await Rig.Scalar<long>(db.ConnectionString, $"SELECT count(*) FROM {table}");
                    await Rig.Execute(db.ConnectionString, """
                        CREATE OR REPLACE FUNCTION harness_hold_answer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$;
                        CREATE TRIGGER harness_hold_answer BEFORE INSERT OR UPDATE ON idempotent_requests
                            FOR EACH ROW WHEN (NEW.response IS NOT NULL) EXECUTE FUNCTION harness_hold_answer();
                        """);
                    var key = $"window-{round}-{table}-{Guid.NewGuid():N}";
                    var first = Task.Run(async () => { try { await Send(http, HttpMethod.Post, path, body, token, key); } catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { } });
                    var holding = false;
                    for (var i = 0; i < 200 && !holding; i++)
                    {
                        await Task.Delay(50);
                        holding = await Rig.Scalar<long>(db.ConnectionString, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()") > 0;
                    }
                    if (!holding) broken.Add($"{table}: the answer of round {round} was never held (is the trigger still right?)");
                    await server.KillAsync();
                    await server.DisposeAsync();
                    await first;
                    killed++;
                    await Rig.Execute(db.ConnectionString, "DROP TRIGGER harness_hold_answer ON idempotent_requests");
                    server = await ServerProcess.StartAsync(db.ConnectionString, args, port);

                    var (status, answer) = (default(HttpStatusCode), default(JsonElement));
                    var patience = System.Diagnostics.Stopwatch.StartNew();
                    do
                    {
                        try { (status, answer) = await Send(http, HttpMethod.Post, path, body, token, key); }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { status = 0; }
                        if (status == created) break;
                        await Task.Delay(200);
                    }
                    while (patience.Elapsed < TimeSpan.FromSeconds(20));
                    var rowsAfter = await Rig.Scalar<long>(db.ConnectionString, $"SELECT count(*) FROM {table}");
                    if (status != created)
                        broken.Add($"{table}: the retry after a kill while the answer was saved got {(int)status} {(answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("detail", out var d) ? d.GetString() : "")} for 20 s");
                    else answered++;
                    if (rowsAfter != rowsBefore + 1) broken.Add($"{table}: {rowsAfter - rowsBefore} stored for one key");
                    log.WriteLine($"window: {table} round {round}: retry {(int)status}, stored {rowsAfter - rowsBefore}");
                }
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
        var half = await Rig.HalfWritten(db.ConnectionString);
        var audit = await Rig.VerifyAudit(db.ConnectionString);
        if (half != 0) broken.Add($"{half} half-written");
        if (audit is not null) broken.Add($"audit chain broken at {audit}");
        return new FaultResult("kill while the answer is saved",
            $"{killed} kills (kill -9) while an answer was being saved; retries answered {answered} of {killed}, each key stored once; half-written {half}; audit {(audit is null ? "intact" : "BROKEN")}",
            broken);
    }

    /// <summary>A client whose connections leave from <paramref name="source"/> (any 127.x address is this machine).</summary>
    public static HttpClient From(Uri address, string source) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 64,
        ConnectCallback = async (ctx, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(ctx.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Scenario 7: with the limits as shipped, one address floods report intake and the receipt-code check from many
    /// connections (with a forged X-Forwarded-For on every request), while ordinary reporters on other addresses file
    /// reports and check their codes at a human pace. The flooder is held to its own bucket; nobody else is refused.
    /// </summary>
    public static async Task<FaultResult> FairnessAsync(string admin, int reporters, TimeSpan duration, TextWriter log)
    {
        await using var db = await BenchDatabase.CreateAsync(admin);
        // The shipped per-address limits and shared ceilings (ServerProcess raises them for the other scenarios).
        var shipped = new CaseHandling.Server.Infrastructure.Security.ReporterRateLimits();
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, Rig.AppArgs("Api", null,
            $"--ReporterRateLimits:SubmissionsPerMinute={shipped.SubmissionsPerMinute}", $"--ReporterRateLimits:CodeAttemptsPerMinute={shipped.CodeAttemptsPerMinute}",
            $"--ReporterRateLimits:SubmissionsPerAddressPerMinute={shipped.SubmissionsPerAddressPerMinute}",
            $"--ReporterRateLimits:CodeAttemptsPerAddressPerMinute={shipped.CodeAttemptsPerAddressPerMinute}"));
        using var setup = Rig.Client(server.Address);
        var people = await Rig.Setup(setup, "fair");

        long floodSent = 0, floodAccepted = 0, floodRefused = 0, floodOther = 0;
        using var stop = new CancellationTokenSource(duration);
        using var flooder = From(server.Address, "127.0.0.1");
        var flood = Enumerable.Range(0, 16).Select(f => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                Interlocked.Increment(ref floodSent);
                try
                {
                    var submit = n % 2 == 0;
                    using var req = new HttpRequestMessage(HttpMethod.Post, submit ? "/api/reports" : "/api/reports/status")
                    {
                        Content = JsonContent.Create(submit ? Rig.Report(people.Institution, $"flood{f}x{n}") : new { receiptCode = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" }),
                    };
                    req.Headers.Add("X-Forwarded-For", $"10.{f}.{n % 250}.{n % 200 + 1}");
                    using var r = await flooder.SendAsync(req, stop.Token);
                    if (r.StatusCode == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref floodRefused);
                    else if (r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.NotFound) Interlocked.Increment(ref floodAccepted);
                    else Interlocked.Increment(ref floodOther);
                }
                catch (OperationCanceledException) { }
            }
        })).ToList();

        // Ordinary reporters, each on its own address: a report and a few checks of its code, spread over the flood.
        long theirsSent = 0, theirsRefused = 0, theirsFailed = 0;
        var pace = TimeSpan.FromMilliseconds(duration.TotalMilliseconds / 8);
        var ordinary = Enumerable.Range(0, reporters).Select(i => Task.Run(async () =>
        {
            using var client = From(server.Address, $"127.0.0.{i + 2}");
            for (var round = 0; round < 3; round++)
            {
                await Task.Delay(pace);
                Interlocked.Increment(ref theirsSent);
                using var r = await client.PostAsJsonAsync("/api/reports", Rig.Report(people.Institution, $"own{i}x{round}"));
                if (r.StatusCode == HttpStatusCode.TooManyRequests) { Interlocked.Increment(ref theirsRefused); continue; }
                if (r.StatusCode != HttpStatusCode.Created) { Interlocked.Increment(ref theirsFailed); continue; }
                var code = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptCode").GetString();
                Interlocked.Increment(ref theirsSent);
                using var s = await client.PostAsJsonAsync("/api/reports/status", new { receiptCode = code });
                if (s.StatusCode == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref theirsRefused);
                else if (s.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref theirsFailed);
            }
        })).ToList();
        await Task.WhenAll(ordinary);
        await Task.WhenAll(flood);

        var minutes = Math.Max(duration.TotalMinutes, 1.0 / 60);
        // The flooder's own two buckets: what it may be given over the run (a full bucket, then its refill).
        // (Plus one refill of each bucket: the limiter's timer may have refilled once more by the time the flood stops.)
        var refills = new[] { shipped.SubmissionsPerAddressPerMinute, shipped.CodeAttemptsPerAddressPerMinute }
            .Sum(r => CaseHandling.Server.Infrastructure.Security.ReporterRateLimits.Refill(r).TokensPerPeriod);
        var floodAllowance = (shipped.SubmissionsPerAddressPerMinute + shipped.CodeAttemptsPerAddressPerMinute) * (1 + minutes) + refills;
        var broken = new List<string>();
        if (theirsRefused != 0) broken.Add($"{theirsRefused} of the ordinary reporters' {theirsSent} requests refused with 429");
        if (theirsFailed != 0) broken.Add($"{theirsFailed} of the ordinary reporters' requests failed otherwise");
        if (floodAccepted > floodAllowance) broken.Add($"the flooder got {floodAccepted} answers, more than its own buckets allow ({floodAllowance:F0}): a forged X-Forwarded-For bought a fresh bucket");
        if (floodRefused == 0) broken.Add("the flooder was never refused");
        if (floodOther != 0) broken.Add($"{floodOther} of the flooder's requests answered neither a result nor 429");
        return new FaultResult("fair rate limiting",
            $"{duration.TotalSeconds:F0} s; flooder (16 connections, forged X-Forwarded-For): {floodSent:N0} sent, {floodAccepted:N0} answered, {floodRefused:N0} refused (429); " +
            $"{reporters} ordinary reporters on other addresses: {theirsSent} requests, {theirsRefused} refused, {theirsFailed} failed", broken);
    }
}
