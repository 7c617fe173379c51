using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Features;
using CaseHandling.Server.Tests.Infrastructure;
using static CaseHandling.Server.Tests.Features.AccessTableTests;

namespace CaseHandling.Server.Tests.Api;

/// <summary>
/// Driven by the OpenAPI document itself: every operation is called into each error state it documents (400, 401, 403,
/// 404, 409, 429), and every answer seen, of those calls and of every operation called as every role, must be one the
/// document lists for that operation. Who may call what comes from the access table (AccessTableTests).
/// </summary>
public sealed class ApiErrorStateTests
{
    private sealed record Operation(string Method, string Path, string Id, HashSet<int> Documented, bool HasBody);

    private TestHost _host = null!;
    private World _w = null!;
    private List<Operation> _operations = null!;
    private readonly List<string> _undocumented = [];
    private Dictionary<Caller, HttpClient> _clients = null!;
    private CaseRef _case = null!;
    private Guid _report;
    private string _code = null!;
    private Guid _closedReport;
    private string _closedCode = null!;
    private string _spareUser = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get();
        var document = JsonDocument.Parse(await OpenApiDocumentTests.Live()).RootElement;
        _operations = [.. document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(op => new Operation(
            op.Name.ToUpperInvariant(), path.Name, op.Value.GetProperty("operationId").GetString()!,
            [.. op.Value.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name))], op.Value.TryGetProperty("requestBody", out _))))];

        _w = await World.Create(_host);
        _case = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        _case = await (await _w.Consult(_case.Id)).Read<CaseRef>();
        (_report, _code) = await Report(consent: true);
        (_closedReport, _closedCode) = await Report(consent: false);
        await (await _w.Handler.Post($"/api/meldpunt/reports/{_closedReport}/close", new { })).Read<JsonElement>();
        _spareUser = (await (await _w.Admin.Post("/api/admin/users", new CreateUser($"reserve-{Guid.NewGuid():N}"[..20] + "@test.casehandling.nl", "Reserve",
            World.Password, StaffRole.Vertrouwensinspecteur, null))).Read<UserView>(HttpStatusCode.Created)).Id;
        _clients = new()
        {
            [Caller.Anonymous] = _w.Anonymous, [Caller.BoardOwn] = _w.Board, [Caller.BoardOther] = _w.OtherBoard, [Caller.StaffOwn] = _w.Staff,
            [Caller.StaffOther] = _w.OtherStaff, [Caller.Inspector] = _w.Inspector, [Caller.Handler] = _w.Handler, [Caller.Administrator] = _w.Admin,
            [Caller.Inspectie] = await World.NewUser(_host, _w.Admin, StaffRole.Inspectie, null),
        };
        _incident = (await (await _w.Board.Post("/api/incidents", ValidBody(_operations.First(o => o.Id == "RegisterIncident"))!))
            .Read<CaseHandling.Server.Features.Incidents.IncidentRef>(HttpStatusCode.Created)).Id;
        _staffId = (await _w.Board.GetJson<List<CaseHandling.Server.Features.Incidents.IncidentRegistrarView>>("/api/incident-registrars")).First().UserId;
        // An incident the retention job has erased: a legal hold on it is out of order (409).
        _erasedIncident = (await (await _w.Board.Post("/api/incidents", ValidBody(_operations.First(o => o.Id == "RegisterIncident"))!))
            .Read<CaseHandling.Server.Features.Incidents.IncidentRef>(HttpStatusCode.Created)).Id;
        await Sql.Execute(_host.ConnectionString, "UPDATE incidents SET erased_at = now() WHERE id = @id", ("id", _erasedIncident));
    }

    private Guid _erasedIncident;

    private Guid _incident;
    private string _staffId = null!;

    private async Task<(Guid Id, string Code)> Report(bool consent)
    {
        var receipt = await (await _w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
            "x", "y", _w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Minor, Destination.MeldpuntOnly)))
            .Read<ReportReceipt>(HttpStatusCode.Created);
        if (consent)
            await (await _w.Anonymous.Post("/api/reports/consent", new { receiptCode = receipt.ReceiptCode, items = new[] { "Description" } })).Read<ReportStatusView>();
        return (await Sql.ReportIdByReceiptCode(_host.ConnectionString, receipt.ReceiptCode), receipt.ReceiptCode);
    }

    private static Dictionary<Caller, Expect> Access(Operation op) =>
        Table.Single(r => r.Method == op.Method && Normalize(r.Pattern) == Normalize(op.Path)).Access;

    private static string Normalize(string pattern) => "/" + pattern.Replace(":guid", "").Trim('/');

    private string PathOf(Operation op, Guid? id = null)
    {
        var real = op.Path.StartsWith("/api/meldpunt/") ? _report.ToString()
            : op.Path.StartsWith("/api/admin/institutions/") ? _w.InstitutionId.ToString()
            : op.Path.StartsWith("/api/admin/users/") ? _spareUser
            : op.Path.StartsWith("/api/incidents/") ? _incident.ToString()
            : _case.Id.ToString();
        return op.Path.Replace("{userId}", id?.ToString() ?? _staffId).Replace("{id}", (id ?? Guid.Parse(real)).ToString())
            .Replace("{fileId}", (id ?? Guid.NewGuid()).ToString()).Replace("{a}", (id ?? _report).ToString()).Replace("{b}", (id ?? _case.Id).ToString());
    }

    /// <summary>A body the operation accepts, so that the state, not validation, decides the answer.</summary>
    private object? ValidBody(Operation op, string? code = null) => op.Id switch
    {
        "Login" => new { email = "niemand@example.org", password = "Fout-wachtwoord-2026" },
        "StartOverleg" => new { inspectorId = _w.InspectorId, factsGiven = "x" },
        "RecordOutcome" => new { outcome = "MoreInformationNeeded", reasoning = "x", informationExpectedBy = "2030-01-01" },
        "InformParties" => new { informedAt = DateTimeOffset.UtcNow.AddMinutes(-1), parties = new[] { "Parents", "Accused" }, how = "x" },
        "RecordInformingImpossible" => new { reason = "x" },
        "FileAangifte" => new { filedOn = DateOnly.FromDateTime(DateTime.UtcNow), policeUnit = "x", registrationNumber = "x" },
        "NotifyInspectorOfAangifte" => new { notifiedOn = DateOnly.FromDateTime(DateTime.UtcNow) },
        "RecordFollowUp" => new { followUp = "None", reasoning = "x" },
        "SetLegalHold" or "SetReportLegalHold" or "SetIncidentLegalHold" => new { hold = true },
        "SendHandlerMessage" => new { kind = "Message", text = "x" },
        "ForwardReport" => new { },
        "SetAccused" => new { accusedName = "x" },
        "UpdateInstitutionContact" => new { contactEmail = "bestuur@example.org" },
        "GetReportStatus" or "WithdrawConsent" => new { receiptCode = code },
        "ReplyToReport" => new { receiptCode = code, text = "x" },
        "RegisterIncident" => new CaseHandling.Server.Features.Incidents.RegisterIncident(CaseHandling.Domain.Incidents.IncidentCategory.Threat,
            DateOnly.FromDateTime(DateTime.UtcNow), CaseHandling.Domain.Incidents.PlaceType.Classroom, CaseHandling.Domain.Incidents.HarmedParty.StaffMember, "x"),
        "ReportIncident" => new { reportedOn = DateOnly.FromDateTime(DateTime.UtcNow) },
        "SetIncidentRegistrar" => new { authorised = false },
        "UnlinkFederatedIdentity" => new { provider = "surfconext" },
        "GiveConsent" => new { receiptCode = code, items = new[] { "Description" } },
        "SetReplyNotice" => new { receiptCode = code, email = "melder@example.org" },
        "RemoveReplyNotice" or "GetFilingProof" => new { receiptCode = code },
        "RateHandling" => new { receiptCode = code, takenSeriously = 4, keptInformed = 4, wouldReportAgain = 4 },
        "VerifyFilingProof" => new { proof = "geen bewijs" },
        "CorrectOralAccount" => new { receiptCode = code, text = "x" },
        "AttachReportFile" => new MultipartFormDataContent { { new StringContent(code ?? ""), "receiptCode" }, { new ByteArrayContent("x"u8.ToArray()), "file", "x.txt" } },
        "WithdrawReportFile" => new { receiptCode = code, number = 1 },
        "DownloadOriginalReportFile" => new { reason = "x" },
        "ApproveOralAccount" => new { receiptCode = code, version = 1 },
        "ReviseOralAccount" => new { text = "x" },
        "RecordOralReport" => new { channel = "Phone", receivedAt = DateTimeOffset.UtcNow.AddMinutes(-5), recordingExists = false,
            report = new { reporterKind = "Student", anonymous = true, incidentType = "Bullying", whatHappened = "x", whenHappened = "x", institutionId = _w.InstitutionId,
                accusedRole = "FellowStudent", victimWho = "Reporter", victimAge = "Adult", destination = "MeldpuntOnly" } },
        _ => op.HasBody ? new { } : null,
    };

    private async Task<int> Call(Operation op, HttpClient client, string path, HttpContent? content, string? ifMatch = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), path) { Content = content };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        if (!op.Documented.Contains(status)) _undocumented.Add($"{op.Method} {op.Path} ({op.Id}) answered {status}, documented: {string.Join(",", op.Documented)}");
        return status;
    }

    private static HttpContent? Json(object? body) => body is null ? null : body is HttpContent form ? form : JsonContent.Create(body, body.GetType(), options: CaseHandling.Server.Tests.Infrastructure.Api.Json);

    /// <summary>Drives one operation into one documented error state; the status it reached.</summary>
    private async Task<int> Provoke(Operation op, int status)
    {
        var access = Access(op);
        // Who may call it (a pair of reports that do not match is "not found" even to the handler).
        var allowed = access.Where(a => a.Value is Expect.Allowed or Expect.NotFound).OrderBy(a => a.Value == Expect.Allowed ? 0 : 1)
            .ThenBy(a => a.Key == Caller.Anonymous ? 1 : 0).First().Key;
        switch (status)
        {
            case 400:
                // Unreadable JSON, an Idempotency-Key that is not one, or a query value of the wrong type.
                return op.HasBody
                    ? await Call(op, _clients[allowed], PathOf(op), new StringContent("{", Encoding.UTF8, "application/json"))
                    : op.Method is "POST" or "PUT"
                        ? await Call(op, _clients[allowed], PathOf(op), null, idempotencyKey: "te-kort")
                        : await Call(op, _clients[allowed], PathOf(op) + "?includeClosed=maybe", null);
            case 401:
                return await Call(op, _w.Anonymous, PathOf(op), Json(ValidBody(op)));
            case 403:
                var refused = access.First(a => a.Value == Expect.Forbidden).Key;
                return await Call(op, _clients[refused], PathOf(op), Json(ValidBody(op)));
            case 404:
                return op.Path.Contains('{')
                    ? await Call(op, _clients[allowed], PathOf(op, Guid.NewGuid()), Json(ValidBody(op)))
                    : await Call(op, _clients[allowed], PathOf(op), Json(ValidBody(op, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")));
            case 409:
                // A case step with a version that is no longer current; a report's step after it was closed.
                if (op.Path.StartsWith("/api/cases/"))
                    return await Call(op, _clients[allowed], PathOf(op), Json(ValidBody(op)), ifMatch: $"\"{_case.Version - 1}\"");
                // The rating is out of order before the meldpunt's feedback (a closed report may still be rated, once).
                if (op.Id == "RateHandling")
                    return await Call(op, _clients[allowed], PathOf(op), Json(ValidBody(op, (await Report(consent: false)).Code)));
                if (op.Id == "SetIncidentLegalHold")
                    return await Call(op, _clients[allowed], op.Path.Replace("{id}", _erasedIncident.ToString()), Json(ValidBody(op)));
                return op.Path.StartsWith("/api/meldpunt/")
                    ? await Call(op, _clients[allowed], op.Path.Replace("{id}", _closedReport.ToString()), Json(ValidBody(op)))
                    : await Call(op, _clients[allowed], PathOf(op), Json(ValidBody(op, _closedCode)));
            default:
                throw new InvalidOperationException($"no recipe for {status}");
        }
    }

    [Test]
    public async Task EveryOperation_EachDocumentedErrorState_ReachedAndDocumented()
    {
        _undocumented.Clear();
        var missed = new List<string>();
        foreach (var op in _operations)
            foreach (var status in op.Documented.Where(s => s is >= 400 and not 429).Order())
            {
                var got = await Provoke(op, status);
                if (got != status) missed.Add($"{op.Method} {op.Path} ({op.Id}): wanted {status}, got {got}");
            }
        TestContext.Out.WriteLine($"{_operations.Count} operations, {_operations.Sum(o => o.Documented.Count(s => s is >= 400 and not 429))} error states");
        Assert.That(missed, Is.Empty, string.Join("\n", missed));
        Assert.That(_undocumented, Is.Empty, string.Join("\n", _undocumented));
    }

    [Test]
    public async Task EveryOperation_AsEveryRole_AnswersOnlyDocumentedStatuses()
    {
        _undocumented.Clear();
        foreach (var op in _operations)
            foreach (var (caller, _) in Access(op))
                await Call(op, _clients[caller], PathOf(op), Json(op.HasBody ? new { } : null));
        Assert.That(_undocumented, Is.Empty, string.Join("\n", _undocumented));
    }

    [Test]
    public async Task RateLimitedOperations_Flooded_Answer429AsDocumented()
    {
        var host = await TestHost.Get("api-rate-limit", new() { ["ReporterRateLimits:CodeAttemptsPerMinute"] = "1", ["ReporterRateLimits:SubmissionsPerMinute"] = "1" });
        _undocumented.Clear();
        var client = host.CreateClient();
        var limited = _operations.Where(o => o.Documented.Contains(429)).ToList();
        Assert.That(limited.Select(o => o.Id), Is.EquivalentTo(new[] { "SubmitReport", "GetReportStatus", "ReplyToReport", "GiveConsent", "WithdrawConsent",
            "SetReplyNotice", "RemoveReplyNotice", "RateHandling", "AttachReportFile", "WithdrawReportFile", "CorrectOralAccount", "ApproveOralAccount",
            "GetFilingProof", "VerifyFilingProof",
            "ListReceiptKeys" }));
        foreach (var op in limited)
        {
            var seen = new List<int>();
            for (var i = 0; i < 4 && !seen.Contains(429); i++) seen.Add(await Call(op, client, op.Path, Json(ValidBody(op, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"))));
            Assert.That(seen, Does.Contain(429), op.Id);
        }
        Assert.That(_undocumented, Is.Empty, string.Join("\n", _undocumented));
    }
}
