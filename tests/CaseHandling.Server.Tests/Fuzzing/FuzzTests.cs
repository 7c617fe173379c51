using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using CaseHandling.Benchmarks.Faults;

namespace CaseHandling.Server.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the whole API from its OpenAPI document (issue 13, item 10): no request, as any role, gets a
/// 5xx, and a request that is refused changes nothing. The test run sends FUZZ_REQUESTS requests (3,000 by default); the
/// full run of 100,000 is in docs/RELIABILITY.md. CsCheck prints the seed of a failing run: replay it with FUZZ_SEED (FUZZ_SEED=random for a new one).
/// </summary>
[NonParallelizable]
public sealed class FuzzTests
{
    [Test]
    public async Task GeneratedRequests_AsEveryRole_NoServerError_AndARefusalChangesNothing()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_REQUESTS"), out var n) ? n : 3_000;
        // A fixed seed by default, so the test run is the same every time: the seed with which the fuzzer first found a 500 (a
        // NUL character in the inbox's report-number query reached PostgreSQL). FUZZ_SEED=random explores; another seed replays.
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED") switch { null or "" => "3Av4-CbIQYn6", "random" => null, var s => s };
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
        var statuses = await fuzzer.RunAsync(clients, await ApiFuzzer.StateDigest(host.ConnectionString), count, seed);

        TestContext.Progress.WriteLine($"fuzz: {count} requests over {fuzzer.Operations} operations; statuses " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.That(statuses.Values.Sum(), Is.GreaterThanOrEqualTo(count));
        Assert.That(statuses.Keys.Where(s => s < 400), Is.Not.Empty, "some generated requests are accepted, so the refusals are not all the same kind");
    }
}

/// <summary>What the fuzzer found, kept as plain tests: each answered 500 before its fix.</summary>
public sealed class FuzzFindingsTests
{
    [Test]
    public async Task NulInTheInboxNumberQuery_NoReportFound_Not500()
    {
        var w = await World.Create(await TestHost.Get());
        var found = await w.Handler.GetJson<List<CaseHandling.Server.Features.Meldpunt.ReportInboxItem>>("/api/meldpunt/reports?number=%00");
        Assert.That(found, Is.Empty);
    }

    [Test]
    public async Task NulInTheSignInEmail_400_Not500()
    {
        var client = (await TestHost.Get()).CreateClient();
        var problem = await (await client.Post("/api/auth/login", new { email = "\u0000", password = "x" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("body", out _), Is.True);
    }

    // Seed 0ACSgjQK5zxm: an integer where the enum is a string reached the handler as an undefined outcome. Only the
    // names the document lists are accepted: no number, no number in a string, no comma-joined pair of names.
    [TestCase("-2144813274", TestName = "NotAnOutcome_Integer_400_Not500")]
    [TestCase("2", TestName = "NotAnOutcome_DefinedInteger_400")]
    [TestCase("\"2\"", TestName = "NotAnOutcome_IntegerInAString_400")]
    [TestCase("\"ReasonableSuspicion, SexualHarassment\"", TestName = "NotAnOutcome_TwoNamesJoined_400")]
    public async Task NotAnOutcome_400_AndTheCaseUnchanged(string outcome)
    {
        var w = await World.Create(await TestHost.Get());
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await w.Board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = w.InspectorId, factsGiven = "Feiten" })).Read<CaseRef>();
        var body = new StringContent($"{{\"outcome\": {outcome}, \"reasoning\": \"x\"}}", System.Text.Encoding.UTF8, "application/json");
        var response = await w.Inspector.PostAsync($"/api/cases/{c.Id}/outcome", body);
        await response.Problem(HttpStatusCode.BadRequest);
        var after = await w.Board.GetJson<System.Text.Json.JsonElement>($"/api/cases/{c.Id}");
        Assert.That(after.GetProperty("state").GetString(), Is.EqualTo("ConsultationStarted"), "a refused outcome changes nothing");
    }
}
