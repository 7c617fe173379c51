using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Infrastructure.Mail;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>What one scenario found: its line of figures, and each promise it saw broken.</summary>
public sealed record FaultResult(string Scenario, string Figures, IReadOnlyList<string> Broken)
{
    public bool Passed => Broken.Count == 0;
    public override string ToString() => $"{Scenario}: {(Passed ? "PASS" : "FAIL")} | {Figures}" + (Passed ? "" : " | broken: " + string.Join("; ", Broken));
}

/// <summary>An acknowledged report: the receipt code a client was shown, and the marker it wrote.</summary>
public sealed record Acknowledged(string ReceiptCode, string Marker);

/// <summary>The parts a scenario works with: the app as a process on loopback, its database, accounts, a mail sink.</summary>
public static class Rig
{
    public const string AdminEmail = "faults-admin@faults.casehandling.nl";
    public const string Password = "Faults-wachtwoord-2026";
    public const string InspectorateEmail = "inspectie@faults.casehandling.nl";
    public const string MeldpuntEmail = "meldpunt@faults.casehandling.nl";

    /// <summary>Settings every scenario's app gets: the bootstrap administrator, mail to the sink, quick job polling.</summary>
    public static List<string> AppArgs(string jobsMode, SmtpSink? smtp, params string[] more)
    {
        var args = new List<string>
        {
            "--Bootstrap:AdminEmail=" + AdminEmail, "--Bootstrap:AdminPassword=" + Password,
            "--Jobs:Mode=" + jobsMode, "--Jobs:QueuePollSeconds=0.5", "--Jobs:SchedulePollSeconds=1",
            // The harness enqueues the sweep and delivery itself (Hangfire's cron cannot go below a minute).
            "--Jobs:SweepCron=" + Cron.Never(), "--Jobs:DeliveryCron=" + Cron.Never(), "--Jobs:RetentionCron=" + Cron.Never(),
            "--Notifications:InspectorateEmail=" + InspectorateEmail, "--Notifications:MeldpuntEmail=" + MeldpuntEmail,
            "--Logging:LogLevel:Default=Error",
        };
        if (smtp is not null) args.AddRange(["--Mail:Host=127.0.0.1", $"--Mail:Port={smtp.Port}", "--Mail:Security=None", "--Mail:TimeoutSeconds=5"]);
        args.AddRange(more);
        return args;
    }

    public static HttpClient Client(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) })
            { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<string> SignIn(HttpClient http, string email)
    {
        using var r = await http.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public static async Task<JsonElement> Post(HttpClient http, string? token, string path, object body, HttpStatusCode expect = HttpStatusCode.OK)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await http.SendAsync(req);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> Get(HttpClient http, string token, string path)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await http.SendAsync(req);
        var text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, text.Length > 0 && r.Content.Headers.ContentType?.MediaType?.Contains("json") == true ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>The people of a scenario: the administrator, one institution, its board, a meldpunt handler and an inspector.</summary>
    public sealed record People(string Admin, Guid Institution, string Board, string Handler, string Inspector, string InspectorId);

    public static async Task<People> Setup(HttpClient http, string tag)
    {
        var admin = await SignIn(http, AdminEmail);
        var institution = (await Post(http, admin, "/api/admin/institutions",
            new { name = $"Fouteninstelling {tag}", sector = "Vo", contactEmail = $"bestuur-{tag}@faults.casehandling.nl" })).GetProperty("id").GetGuid();
        async Task<(string Email, string Id)> User(string role, Guid? at)
        {
            var email = $"{role.ToLowerInvariant()}-{tag}-{Guid.NewGuid():N}"[..40] + "@faults.casehandling.nl";
            var user = await Post(http, admin, "/api/admin/users", new { email, displayName = role, password = Password, role, institutionId = at });
            return (email, user.GetProperty("id").GetString()!);
        }
        var board = await User("Board", institution);
        var handler = await User("MeldpuntHandler", null);
        var inspector = await User("Vertrouwensinspecteur", null);
        return new People(admin, institution, await SignIn(http, board.Email), await SignIn(http, handler.Email), await SignIn(http, inspector.Email), inspector.Id);
    }

    /// <summary>An anonymous report as the reporter's API takes it, carrying a marker to find its content by.</summary>
    public static object Report(Guid institution, string marker) => new
    {
        reporterKind = "Student", anonymous = true, incidentType = "SeksueleIntimidatie",
        whatHappened = $"Wat er gebeurde, melding {marker}.", whenHappened = "vorige week", institutionId = institution,
        accusedRole = "MetTakenBelastPersoon", victimWho = "Reporter", victimAge = "Adult", destination = "MeldpuntOnly",
    };

    /// <summary>Submits a report; the receipt code when the server acknowledged it, null otherwise (the status, or the failure).</summary>
    public static async Task<(string? Code, int Status)> Submit(HttpClient http, Guid institution, string marker)
    {
        try
        {
            using var r = await http.PostAsJsonAsync("/api/reports", Report(institution, marker));
            if (r.StatusCode != HttpStatusCode.Created) return (null, (int)r.StatusCode);
            return ((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptCode").GetString(), 201);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            return (null, 0);
        }
    }

    /// <summary>
    /// Every acknowledged report is there after what happened: its row, found by the code's hash; its acknowledgement duty;
    /// its audit entry; its data key; the reporter's status page by code; and its content, opened by the meldpunt handler.
    /// Returns how many were found whole, and a line for each that was not (at most a few).
    /// </summary>
    public static async Task<(int Found, List<string> Missing)> CheckAcknowledged(string cs, HttpClient http, string handler, IReadOnlyList<Acknowledged> acks,
        string? keyStore = null)
    {
        var missing = new System.Collections.Concurrent.ConcurrentBag<string>();
        var found = 0;
        await Parallel.ForEachAsync(acks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, ct) =>
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"""
                SELECT r.id,
                       (SELECT count(*) FROM duties d WHERE d.report_id = r.id AND d.kind = 'MeldpuntAcknowledgement'),
                       (SELECT count(*) FROM audit_entries e WHERE e.subject_id = r.id AND e.action = 'change:Submitted'),
                       {(keyStore is null ? "(SELECT count(*) FROM data_keys k WHERE k.subject_id = r.id AND k.wrapped_key IS NOT NULL)" : "1::bigint")}
                FROM reports r WHERE r.receipt_hash = @h
                """, conn);
            cmd.Parameters.AddWithValue("h", ReceiptCode.Hash(a.ReceiptCode));
            await using var row = await cmd.ExecuteReaderAsync(ct);
            if (!await row.ReadAsync(ct)) { missing.Add($"{a.Marker}: no report"); return; }
            var id = row.GetGuid(0);
            var key = keyStore is null ? row.GetInt64(3)
                : await Scalar<long>(keyStore, "SELECT count(*) FROM data_keys WHERE subject_id = @id AND wrapped_key IS NOT NULL", ("id", id));
            if (row.GetInt64(1) != 1 || row.GetInt64(2) != 1 || key != 1)
            {
                missing.Add($"{a.Marker}: duty {row.GetInt64(1)}, audit {row.GetInt64(2)}, key {key}");
                return;
            }
            using var status = await http.PostAsJsonAsync("/api/reports/status", new { receiptCode = a.ReceiptCode }, ct);
            if (status.StatusCode != HttpStatusCode.OK) { missing.Add($"{a.Marker}: status by code {(int)status.StatusCode}"); return; }
            var (code, detail) = await Get(http, handler, $"/api/meldpunt/reports/{id}");
            if (code != HttpStatusCode.OK || detail.GetProperty("whatHappened").GetString()?.Contains(a.Marker) != true)
            {
                missing.Add($"{a.Marker}: content not readable ({(int)code})");
                return;
            }
            Interlocked.Increment(ref found);
        });
        return (found, missing.Take(5).ToList());
    }

    /// <summary>Half-written: a report or case without its duties or its audit entry, or content whose data key is gone.</summary>
    public static async Task<long> HalfWritten(string cs) => await Scalar<long>(cs, """
        SELECT (SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM duties d WHERE d.report_id = r.id)
                                              OR NOT EXISTS (SELECT 1 FROM audit_entries e WHERE e.subject_id = r.id))
             + (SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM duties d WHERE d.case_id = c.id)
                                            OR NOT EXISTS (SELECT 1 FROM audit_entries e WHERE e.subject_id = c.id))
        """);

    public static async Task<T> Scalar<T>(string cs, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 120 };
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task Execute(string cs, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 120 };
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>`verify-audit`, as the operator runs it: null when every chain is intact, else the first broken link.</summary>
    public static async Task<string?> VerifyAudit(string cs) =>
        (await CaseHandling.Server.Infrastructure.Persistence.AuditVerifier.VerifyAsync(cs, CancellationToken.None)).FirstBroken;

    private static readonly Lock SerializerLock = new();
    private static bool _serializerSet;

    /// <summary>A Hangfire client on the app's job storage, to run the sweep, delivery or retention now rather than at the next minute.</summary>
    public static Jobs JobsOn(string cs)
    {
        lock (SerializerLock)
        {
            if (!_serializerSet)
            {
                // The same job serialization as the app (JobsSetup), so that its servers read what this client writes.
                GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                    .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
                _serializerSet = true;
            }
        }
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
        return new Jobs(new PostgreSqlStorage(new NpgsqlConnectionFactory(cs, options, null), options));
    }

    public sealed class Jobs(JobStorage storage)
    {
        private readonly BackgroundJobClient _client = new(storage);

        public string Sweep() => Enqueue(() => _client.Enqueue<DutySweepJob>(j => j.Run(CancellationToken.None)));
        public string Deliver() => Enqueue(() => _client.Enqueue<OutboxDeliveryJob>(j => j.Run(CancellationToken.None)));
        public string Retention() => Enqueue(() => _client.Enqueue<RetentionJob>(j => j.Run(CancellationToken.None)));

        private static string Enqueue(Func<string> enqueue)
        {
            for (var attempt = 1; ; attempt++)
            {
                try { return enqueue(); }
                catch (BackgroundJobClientException) when (attempt < 3) { NpgsqlConnection.ClearAllPools(); }
            }
        }

        public string? State(string id) => storage.GetMonitoringApi().JobDetails(id)?.History.FirstOrDefault()?.StateName;

        /// <summary>Waits for a job to end; its last state, or "timeout".</summary>
        public async Task<string> Wait(string id, TimeSpan patience)
        {
            var until = DateTime.UtcNow + patience;
            while (DateTime.UtcNow < until)
            {
                var s = State(id);
                if (s is "Succeeded" or "Failed" or "Deleted") return s;
                await Task.Delay(100);
            }
            return "timeout";
        }
    }

    /// <summary>A browser's session on the pages: signed in through the form, with the cookie.</summary>
    public static async Task<HttpClient> PageSession(Uri baseAddress, string email)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var form = await client.GetStringAsync("/aanmelden");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var r = await client.PostAsync("/aanmelden", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = Password, ["__RequestVerificationToken"] = token,
        }));
        if (r.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"page sign-in: {(int)r.StatusCode}");
        return client;
    }

    public static double Percentile(List<double> xs, double p)
    {
        if (xs.Count == 0) return 0;
        var sorted = xs.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
