using System.Net;
using System.Net.Http.Json;
using System.Text;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Retries are safe (issue 13, item 6): every command endpoint honours an Idempotency-Key header; a repeated request gets
/// the first answer and does nothing a second time, even when the repeats arrive at the same moment.
/// </summary>
public sealed class IdempotencyTests
{
    private World _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    private static async Task<HttpResponseMessage> Send(HttpClient client, string method, string url, object body, string? key, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(body, body.GetType(), options: CaseHandling.Server.Tests.Infrastructure.Api.Json) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static string NewKey() => Guid.NewGuid().ToString();

    private RegisterCase Matter(string facts = "Feitenrelaas") => new(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
        AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddHours(-1), facts);

    private SubmitReport Report(string text = "Wat er gebeurde") => new(ReporterKind.Student, true, null, null, null, IncidentType.Bullying, text, "gisteren",
        _w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly);

    private Task<long> CasesOfInstitution() =>
        Sql.Scalar<long>(_w.Host.ConnectionString, "SELECT count(*) FROM cases WHERE institution_id = @id", _w.InstitutionId);

    private Task<long> ReportsOfInstitution() =>
        Sql.Scalar<long>(_w.Host.ConnectionString, "SELECT count(*) FROM reports WHERE institution_id = @id", _w.InstitutionId);

    [Test]
    public async Task SubmitReport_Repeated_SameReceiptCode_OneReport_AndTheCodeIsNotStoredReadably()
    {
        var key = NewKey();
        var first = await (await Send(_w.Anonymous, "POST", "/api/reports", Report(), key)).Read<ReportReceipt>(HttpStatusCode.Created);
        var again = await Send(_w.Anonymous, "POST", "/api/reports", Report(), key);
        var replayed = await again.Read<ReportReceipt>(HttpStatusCode.Created);
        Assert.Multiple(async () =>
        {
            Assert.That(replayed.ReceiptCode, Is.EqualTo(first.ReceiptCode));
            Assert.That(again.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(await ReportsOfInstitution(), Is.EqualTo(1));
            // The kept answer holds the receipt code, sealed under a key derived from the Idempotency-Key: a copy of the
            // database does not show it, nor the Idempotency-Key itself.
            var leaks = await Sql.Scalar<long>(_w.Host.ConnectionString,
                "SELECT count(*) FROM idempotent_requests WHERE position(convert_to(@c, 'UTF8') in response) > 0 OR position(convert_to(@k, 'UTF8') in key_hash) > 0",
                ("c", first.ReceiptCode), ("k", key));
            Assert.That(leaks, Is.Zero);
        });
        // Without a key, the same request files a second report: the key is what makes the retry safe.
        await (await _w.Anonymous.Post("/api/reports", Report())).Read<ReportReceipt>(HttpStatusCode.Created);
        Assert.That(await ReportsOfInstitution(), Is.EqualTo(2));
    }

    [Test]
    public async Task RegisterCase_RepeatsAtTheSameMoment_ExactlyOneCase_EveryAnswerNamesIt()
    {
        var key = NewKey();
        var body = Matter();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Send(_w.Board, "POST", "/api/cases", body, key)));
        var created = new List<Guid>();
        foreach (var a in answers)
            if (a.StatusCode == HttpStatusCode.Created) created.Add((await a.Read<CaseRef>(HttpStatusCode.Created)).Id);
            else await a.Problem(HttpStatusCode.Conflict); // only while the first was still running, with Retry-After
        Assert.Multiple(async () =>
        {
            Assert.That(await CasesOfInstitution(), Is.EqualTo(1));
            Assert.That(created, Is.Not.Empty);
            Assert.That(created.Distinct().Count(), Is.EqualTo(1), "every answer names the one case");
        });
        // A retry afterwards gets the same answer, with the Location of the case.
        var later = await Send(_w.Board, "POST", "/api/cases", body, key);
        Assert.Multiple(async () =>
        {
            Assert.That((await later.Read<CaseRef>(HttpStatusCode.Created)).Id, Is.EqualTo(created[0]));
            Assert.That(later.Headers.Location?.ToString(), Is.EqualTo($"/api/cases/{created[0]}"));
        });
    }

    [Test]
    public async Task Step_RetriedWithItsKey_GetsTheFirstAnswer_NotAStaleVersionConflict()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var key = NewKey();
        var body = new { inspectorId = _w.InspectorId, factsGiven = "Feiten" };
        var etag = $"\"{c.Version}\"";
        var first = await (await Send(_w.Board, "POST", $"/api/cases/{c.Id}/consultation", body, key, etag)).Read<CaseRef>();
        var retry = await Send(_w.Board, "POST", $"/api/cases/{c.Id}/consultation", body, key, etag);
        Assert.Multiple(async () =>
        {
            Assert.That((await retry.Read<CaseRef>()).Version, Is.EqualTo(first.Version));
            Assert.That(retry.Headers.ETag?.Tag, Is.EqualTo($"\"{first.Version}\""));
            var timeline = (await _w.Board.Case(c.Id)).Timeline;
            Assert.That(timeline.Count(e => e.Step == "StartConsultation"), Is.EqualTo(1));
        });
        // The same step with the same If-Match but without the key: the version is stale now, so 409.
        await (await _w.Board.Post($"/api/cases/{c.Id}/consultation", body, etag)).Problem(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task HandlerMessage_Repeated_OneMessage()
    {
        var receipt = await (await _w.Anonymous.Post("/api/reports", Report())).Read<ReportReceipt>(HttpStatusCode.Created);
        var id = await Sql.ReportIdByReceiptCode(_w.Host.ConnectionString, receipt.ReceiptCode);
        var key = NewKey();
        var body = new { kind = "Message", text = "Kunt u meer vertellen?" };
        for (var i = 0; i < 3; i++) await (await Send(_w.Handler, "POST", $"/api/meldpunt/reports/{id}/messages", body, key)).Read<ReportRef>();
        var report = await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}");
        Assert.That(report.Messages.Count(m => m.Author == MessageAuthor.Handler), Is.EqualTo(1));
    }

    [Test]
    public async Task SameKey_AnotherRequest_Unprocessable_AndNothingDone()
    {
        var key = NewKey();
        await (await Send(_w.Board, "POST", "/api/cases", Matter("eerste"), key)).Read<CaseRef>(HttpStatusCode.Created);
        var other = await Send(_w.Board, "POST", "/api/cases", Matter("tweede"), key);
        var p = await other.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Multiple(async () =>
        {
            Assert.That(p.GetProperty("type").GetString(), Is.EqualTo("urn:casehandling:error:idempotency_key_reused"));
            Assert.That(await CasesOfInstitution(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SameKey_AnotherAccount_IsAnotherRequest()
    {
        var key = NewKey();
        var mine = await (await Send(_w.Board, "POST", "/api/cases", Matter(), key)).Read<CaseRef>(HttpStatusCode.Created);
        var theirs = await (await Send(_w.OtherBoard, "POST", "/api/cases", Matter(), key)).Read<CaseRef>(HttpStatusCode.Created);
        Assert.That(theirs.Id, Is.Not.EqualTo(mine.Id), "a key never replays another account's answer");
    }

    [Test]
    public async Task FailedCommand_IsNotKept_ARetryRunsAgain()
    {
        var key = NewKey();
        var invalid = Matter() with { Facts = "" };
        await (await Send(_w.Board, "POST", "/api/cases", invalid, key)).Problem(HttpStatusCode.BadRequest);
        // The corrected request under a new key files; the invalid one under its key is still refused, not replayed as a success.
        await (await Send(_w.Board, "POST", "/api/cases", invalid, key)).Problem(HttpStatusCode.BadRequest);
        Assert.That(await CasesOfInstitution(), Is.Zero);
    }

    /// <summary>
    /// Every command endpoint of the API (each POST and PUT of the access table) reads the header: a malformed key is a
    /// 400 naming Idempotency-Key, for a caller who may call the endpoint.
    /// </summary>
    [Test]
    public async Task EveryCommandEndpoint_ReadsTheHeader()
    {
        var clients = new Dictionary<AccessTableTests.Caller, HttpClient>
        {
            [AccessTableTests.Caller.Anonymous] = _w.Anonymous, [AccessTableTests.Caller.BoardOwn] = _w.Board, [AccessTableTests.Caller.StaffOwn] = _w.Staff,
            [AccessTableTests.Caller.Inspector] = _w.Inspector, [AccessTableTests.Caller.Handler] = _w.Handler, [AccessTableTests.Caller.Administrator] = _w.Admin,
        };
        var commands = AccessTableTests.Table.Where(r => r.Pattern.StartsWith("/api/") && r.Method is "POST" or "PUT" or "PATCH" or "DELETE").ToList();
        Assert.That(commands, Has.Count.GreaterThan(30));
        var missed = new List<string>();
        foreach (var (method, pattern, _, access) in commands)
        {
            var caller = access.First(a => a.Value == AccessTableTests.Expect.Allowed && clients.ContainsKey(a.Key)).Key;
            using var request = new HttpRequestMessage(new HttpMethod(method), pattern.Replace("{id:guid}", Guid.NewGuid().ToString()))
                { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "te-kort");
            using var response = await clients[caller].SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || !body.Contains("\"Idempotency-Key\"")) missed.Add($"{method} {pattern}: {(int)response.StatusCode}");
        }
        Assert.That(missed, Is.Empty);
    }
}
