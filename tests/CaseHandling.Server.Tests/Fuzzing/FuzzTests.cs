using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using CsCheck;
using Npgsql;

namespace CaseHandling.Server.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the whole API from its OpenAPI document (issue 13, item 10): no request, as any role, gets a
/// 5xx, and a request that is refused changes nothing. The test run sends FUZZ_REQUESTS requests (3,000 by default); the
/// full run of 100,000 is in docs/RELIABILITY.md. CsCheck prints the seed of a failing run: replay it with FUZZ_SEED.
/// </summary>
[NonParallelizable]
public sealed class FuzzTests
{
    /// <summary>
    /// What a refused request must not change: every table of the case database but the audit trail (a refusal may be
    /// recorded) and the accounts (a failed sign-in counts towards the lockout), as row counts and row versions.
    /// </summary>
    private static async Task<Func<Task<string>>> StateDigest(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' " +
            "AND table_name NOT IN ('audit_entries', '__EFMigrationsHistory') AND table_name NOT LIKE 'asp_net_%' ORDER BY table_name", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var sql = "SELECT " + string.Join(" || '|' || ", tables.Select(t =>
            $"(SELECT '{t}:' || count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM \"{t}\")"));
        return async () =>
        {
            await using var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            await using var q = new NpgsqlCommand(sql, c);
            return (string)(await q.ExecuteScalarAsync())!;
        };
    }

    [Test]
    public async Task GeneratedRequests_AsEveryRole_NoServerError_AndARefusalChangesNothing()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_REQUESTS"), out var n) ? n : 3_000;
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED");
        var host = await TestHost.Get("fuzz", new()
        {
            ["ReporterRateLimits:SubmissionsPerMinute"] = "100000000", ["ReporterRateLimits:CodeAttemptsPerMinute"] = "100000000",
        });
        var w = await World.Create(host);
        var own = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var other = await (await w.OtherBoard.Post("/api/cases", new CaseHandling.Server.Features.Cases.RegisterCase(IncidentType.SeksueleIntimidatie,
            new CaseHandling.Server.Features.Cases.VictimInput(VictimKind.Student, VictimAge.Adult, false), AccusedRole.MetTakenBelastPersoon,
            DateTimeOffset.UtcNow.AddHours(-2), "Andere instelling"))).Read<CaseHandling.Server.Features.Cases.CaseRef>(HttpStatusCode.Created);
        var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
            "x", "y", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Minor, Destination.MeldpuntOnly)))
            .Read<ReportReceipt>(HttpStatusCode.Created);
        var report = await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);

        var clients = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = w.Anonymous, ["board"] = w.Board, ["other-board"] = w.OtherBoard, ["staff"] = w.Staff, ["inspector"] = w.Inspector,
            ["handler"] = w.Handler, ["admin"] = w.Admin,
        };
        var document = await w.Anonymous.GetStringAsync("/openapi/v1.json");
        var fuzzer = new ApiFuzzer(document, clients.Keys, [own.Id.ToString(), other.Id.ToString(), report.ToString(), w.InstitutionId.ToString(), w.InspectorId]);
        Assert.That(fuzzer.Operations, Is.GreaterThan(40));
        var digest = await StateDigest(host.ConnectionString);
        var statuses = new Dictionary<int, int>();
        var before = await digest();

        await fuzzer.Requests.SampleAsync(async request =>
        {
            using var message = ApiFuzzer.ToHttp(request);
            using var response = await clients[request.Role].SendAsync(message);
            var status = (int)response.StatusCode;
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
                throw new AssertionException($"{status} for {request}: {await response.Content.ReadAsStringAsync()}");
            var after = await digest();
            if (status >= 400 && after != before)
                throw new AssertionException($"refused with {status} but the database changed: {request}");
            before = after;
        }, seed: seed, iter: count, threads: 1, print: r => r.ToString());

        TestContext.Progress.WriteLine($"fuzz: {count} requests over {fuzzer.Operations} operations; statuses " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.That(statuses.Values.Sum(), Is.GreaterThanOrEqualTo(count));
        Assert.That(statuses.Keys.Where(s => s < 400), Is.Not.Empty, "some generated requests are accepted, so the refusals are not all the same kind");
    }
}
