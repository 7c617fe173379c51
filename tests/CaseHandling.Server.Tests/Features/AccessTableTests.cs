using System.Net;
using System.Text;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Every endpoint, called as every role, from the case's own institution and from another, against the
/// intended access table. The table is published as docs/ACCESS.md, rendered from the same data.
/// A new endpoint without a row here fails the test.
/// </summary>
public sealed class AccessTableTests
{
    public enum Caller { Anonymous, BoardOwn, BoardOther, StaffOwn, StaffOther, Inspector, Handler, Administrator, Inspectie }

    /// <summary>What a caller gets: allowed (any answer but 401/403/404), or refused with that status.</summary>
    public enum Expect { Allowed, Unauthorized, Forbidden, NotFound, SignInPage, AccessDeniedPage }

    private static Dictionary<Caller, Expect> Who(Expect others, params (Caller Caller, Expect Expect)[] rows)
    {
        var d = Enum.GetValues<Caller>().ToDictionary(c => c, c => c == Caller.Anonymous ? Expect.Unauthorized : others);
        foreach (var (c, e) in rows) d[c] = e;
        return d;
    }

    private static readonly Dictionary<Caller, Expect> Public = Enum.GetValues<Caller>().ToDictionary(c => c, _ => Expect.Allowed);
    private static readonly Dictionary<Caller, Expect> SignedIn = Who(Expect.Allowed);
    private static readonly Dictionary<Caller, Expect> CaseRead = Who(Expect.Forbidden, (Caller.BoardOwn, Expect.Allowed), (Caller.BoardOther, Expect.NotFound), (Caller.Inspector, Expect.Allowed));
    private static readonly Dictionary<Caller, Expect> CaseList = Who(Expect.Forbidden, (Caller.BoardOwn, Expect.Allowed), (Caller.BoardOther, Expect.Allowed), (Caller.Inspector, Expect.Allowed));
    private static readonly Dictionary<Caller, Expect> BoardStep = Who(Expect.Forbidden, (Caller.BoardOwn, Expect.Allowed), (Caller.BoardOther, Expect.NotFound));
    private static readonly Dictionary<Caller, Expect> Boards = Who(Expect.Forbidden, (Caller.BoardOwn, Expect.Allowed), (Caller.BoardOther, Expect.Allowed));
    private static readonly Dictionary<Caller, Expect> Staff = Who(Expect.Forbidden, (Caller.StaffOwn, Expect.Allowed), (Caller.StaffOther, Expect.Allowed));
    private static readonly Dictionary<Caller, Expect> Inspectors = Who(Expect.Forbidden, (Caller.Inspector, Expect.Allowed));
    private static readonly Dictionary<Caller, Expect> Handlers = Who(Expect.Forbidden, (Caller.Handler, Expect.Allowed));
    private static readonly Dictionary<Caller, Expect> Administrators = Who(Expect.Forbidden, (Caller.Administrator, Expect.Allowed));
    private static readonly Dictionary<Caller, Expect> InspectieOnly = Who(Expect.Forbidden, (Caller.Inspectie, Expect.Allowed));
    /// <summary>A page, not the API: the browser is sent to sign in, or told it has no access.</summary>
    private static readonly Dictionary<Caller, Expect> AdministratorsPage = Enum.GetValues<Caller>().ToDictionary(c => c,
        c => c switch { Caller.Anonymous => Expect.SignInPage, Caller.Administrator => Expect.Allowed, _ => Expect.AccessDeniedPage });

    /// <summary>A page for any signed-in person (one's own account): anonymous browsers are sent to sign in.</summary>
    private static readonly Dictionary<Caller, Expect> SignedInPage = Enum.GetValues<Caller>().ToDictionary(c => c,
        c => c == Caller.Anonymous ? Expect.SignInPage : Expect.Allowed);

    /// <summary>A portal page for some roles: anonymous browsers are sent to sign in, other roles told it is not for them.</summary>
    private static Dictionary<Caller, Expect> PageFor(params Caller[] allowed) => Enum.GetValues<Caller>().ToDictionary(c => c,
        c => c == Caller.Anonymous ? Expect.SignInPage : allowed.Contains(c) ? Expect.Allowed : Expect.AccessDeniedPage);

    private static Dictionary<Caller, Expect> With(Dictionary<Caller, Expect> access, Caller caller, Expect expect) =>
        new(access) { [caller] = expect };

    /// <summary>The intended access table: method, route pattern, who gets what.</summary>
    public static readonly (string Method, string Pattern, string What, Dictionary<Caller, Expect> Access)[] Table =
    [
        ("GET", "/", "reporter's home page", Public),
        ("GET", "/melden", "report form", Public),
        ("POST", "/melden", "submit a report", Public),
        ("GET", "/opvolgen", "follow-up: enter the code", Public),
        ("POST", "/opvolgen", "follow-up with the code", Public),
        ("GET", "/opvolgen/bestand", "a file added with the code: back to /opvolgen", Public),
        ("POST", "/opvolgen/bestand", "a file added with the code (multipart)", Public),
        ("GET", "/verificatie", "check a proof of filing", Public),
        ("POST", "/verificatie", "check a proof of filing: the answer", Public),
        ("GET", "/aanmelden", "staff sign-in page", Public),
        ("GET", "/geen-toegang", "page saying a page is not for one's role", Enum.GetValues<Caller>().ToDictionary(c => c, _ => Expect.Forbidden)),
        ("GET", "/aanmelden/herstelcode", "staff sign-in with a recovery code", Public),
        // Federated sign-in (docs/SIGN-IN.md): to the provider (an unknown provider: back to the sign-in page), and back.
        ("GET", "/aanmelden/extern/{provider}", "federated sign-in: to the identity provider", Public),
        ("GET", "/aanmelden/extern", "federated sign-in: completed, or refused with the reason", Public),
        ("GET", "/wachtwoord-vergeten", "forgotten password: ask for a reset link", Public),
        ("GET", "/wachtwoord-herstellen", "set a new password with the mailed link", Public),
        ("GET", "/afmelden", "sign out (the form posts)", Public),
        ("GET", "/account", "own account", SignedInPage),
        ("GET", "/account/tweestapsverificatie", "TOTP enrolment, recovery codes", SignedInPage),
        ("GET", "/account/wachtwoord-wijzigen", "change own password", SignedInPage),
        // The staff portal: the same commands and queries as the API, behind the same policies.
        ("GET", "/portaal", "each role's first page", PageFor(Caller.BoardOwn, Caller.BoardOther, Caller.StaffOwn,
            Caller.StaffOther, Caller.Inspector, Caller.Handler, Caller.Administrator, Caller.Inspectie)),
        ("GET", "/portaal/taken", "board's work list", PageFor(Caller.BoardOwn, Caller.BoardOther)),
        ("GET", "/portaal/zaken", "case list with filters", PageFor(Caller.BoardOwn, Caller.BoardOther, Caller.Inspector)),
        ("GET", "/portaal/zaken/nieuw", "step 1: board registers a matter", PageFor(Caller.BoardOwn, Caller.BoardOther)),
        ("GET", "/portaal/zaken/{id:guid}", "case page with the allowed steps", With(PageFor(Caller.BoardOwn, Caller.Inspector), Caller.BoardOther, Expect.NotFound)),
        ("GET", "/portaal/melden", "step 1: staff member notifies the board", PageFor(Caller.StaffOwn, Caller.StaffOther)),
        ("GET", "/portaal/overleggen", "inspector's queue and attention list", PageFor(Caller.Inspector)),
        ("GET", "/portaal/meldingen", "meldpunt handler's inbox, the service level due soonest first", PageFor(Caller.Handler)),
        ("GET", "/portaal/meldingen/mondeling", "meldpunt handler records an oral report", PageFor(Caller.Handler)),
        ("GET", "/portaal/meldingen/{id:guid}", "report page: dialogue, service levels, consent, forwarding, closing, legal hold", PageFor(Caller.Handler)),
        ("GET", "/portaal/beheer", "administrator's start page", PageFor(Caller.Administrator)),
        ("GET", "/portaal/beheer/instellingen", "institutions: list, create, contact address", PageFor(Caller.Administrator)),
        ("GET", "/portaal/beheer/accounts", "accounts: list, create, disable, unlock, reset two-factor, unlink a federated identity", PageFor(Caller.Administrator)),
        ("GET", "/portaal/beheer/regels", "the rules in force, and the settings", PageFor(Caller.Administrator)),
        ("GET", "/portaal/beheer/sleutels", "key status and re-wrapping", PageFor(Caller.Administrator)),
        ("GET", "/portaal/beheer/post", "mail the outbox could not deliver", PageFor(Caller.Administrator)),
        ("GET", "/openapi/{documentName}.json", "OpenAPI document", Public),
        // For the orchestrator and load balancer (docs/OPERATIONS.md): up or down only, no sign-in, nothing else said.
        ("GET", "/health/live", "liveness: the process answers", Public),
        ("GET", "/health/ready", "readiness: database migrated, key store, key-encryption key, job storage", Public),
        // The API reference for people (Scalar): any signed-in account; everyone only with ApiReference:OpenToEveryone (Development).
        ("GET", "/scalar/{documentName?}", "API reference page (Scalar)", SignedInPage),
        // Its script and icon are the same for everyone and hold nothing of this system: public.
        ("GET", "/scalar/scalar.js", "the API reference page's script", Public),
        ("GET", "/scalar/scalar.aspnetcore.js", "the API reference page's script (its .NET part)", Public),
        ("GET", "/scalar/favicon.svg", "the API reference page's icon", Public),
        ("POST", "/api/auth/login", "sign in", Public),
        ("GET", "/api/auth/me", "own account", SignedIn),
        ("POST", "/api/auth/2fa/setup", "TOTP set-up", SignedIn),
        ("POST", "/api/auth/2fa/enable", "TOTP enable", SignedIn),
        ("POST", "/api/staff-notifications", "step 1: staff notification", Staff),
        ("POST", "/api/cases", "step 1: board registers a matter", Boards),
        ("GET", "/api/cases", "list cases", CaseList),
        ("GET", "/api/cases/{id:guid}", "a case with timeline and duties", CaseRead),
        ("GET", "/api/cases/{id:guid}/access-log", "who has seen or changed the case", CaseRead),
        ("POST", "/api/cases/{id:guid}/consultation", "step 2: start the overleg", BoardStep),
        ("POST", "/api/cases/{id:guid}/outcome", "step 3: outcome of the overleg", Inspectors),
        ("POST", "/api/cases/{id:guid}/parties-informed", "step 4: parties informed", BoardStep),
        ("POST", "/api/cases/{id:guid}/informing-impossible", "step 4: informing impossible", BoardStep),
        ("POST", "/api/cases/{id:guid}/aangifte", "step 5: aangifte", BoardStep),
        ("POST", "/api/cases/{id:guid}/aangifte-notification", "step 6: inspector notified", BoardStep),
        ("POST", "/api/cases/{id:guid}/follow-up", "step 7: follow-up, close", BoardStep),
        ("POST", "/api/cases/{id:guid}/legal-hold", "place or lift a legal hold", BoardStep),
        ("GET", "/api/duties", "board's open duties", Boards),
        ("GET", "/api/consultations", "inspector's queue", Inspectors),
        ("GET", "/api/inspectors", "inspectors to name", Boards),
        ("GET", "/api/reports/institutions", "institutions to report about", Public),
        ("POST", "/api/reports", "submit a report", Public),
        ("POST", "/api/reports/status", "status by receipt code", Public),
        ("POST", "/api/reports/messages", "reporter's reply", Public),
        ("POST", "/api/reports/consent", "consent to forward", Public),
        ("POST", "/api/reports/consent/withdraw", "withdraw consent", Public),
        ("POST", "/api/reports/notice", "an address for the notice of a reply", Public),
        ("POST", "/api/reports/notice/remove", "remove the address for notices", Public),
        ("POST", "/api/reports/rating", "the reporter says how it went", Public),
        ("POST", "/api/reports/account", "the reporter corrects the account of an oral report", Public),
        ("POST", "/api/reports/files", "the reporter attaches a file", Public),
        ("POST", "/api/reports/files/withdraw", "the reporter withdraws an unread file", Public),
        ("POST", "/api/reports/account/approve", "the reporter approves the account of an oral report", Public),
        ("POST", "/api/reports/proof", "proof of filing by receipt code", Public),
        ("POST", "/api/reports/proof/verify", "check a proof of filing", Public),
        ("GET", "/api/reports/proof/keys", "the meldpunt's published signing keys", Public),
        ("GET", "/api/meldpunt/reports", "handler's inbox", Handlers),
        ("GET", "/api/meldpunt/reports/{id:guid}", "a report with its dialogue", Handlers),
        ("POST", "/api/meldpunt/reports/{id:guid}/messages", "handler's message", Handlers),
        ("POST", "/api/meldpunt/reports/oral", "handler records an oral report", Handlers),
        ("GET", "/api/meldpunt/reports/{id:guid}/files/{fileId:guid}", "handler opens a file's cleaned copy", Handlers),
        ("POST", "/api/meldpunt/reports/{id:guid}/files/{fileId:guid}/original", "handler opens a file's original, with a reason", Handlers),
        ("POST", "/api/meldpunt/reports/{id:guid}/account", "handler revises the account of an oral report", Handlers),
        ("POST", "/api/meldpunt/reports/{id:guid}/forward", "forward to the board", Handlers),
        ("GET", "/api/meldpunt/reports/{id:guid}/forwarding-proof", "the signed proof of forwarding", Handlers),
        ("POST", "/api/meldpunt/reports/{id:guid}/close", "close a report", Handlers),
        ("POST", "/api/meldpunt/reports/{id:guid}/legal-hold", "legal hold on a report", Handlers),
        // Repeat-accused matching (docs/MATCHING.md): the meldpunt handler only; a pair that does not match is not found.
        ("GET", "/api/meldpunt/reports/{id:guid}/accused", "the accused as named in a report", Handlers),
        ("PUT", "/api/meldpunt/reports/{id:guid}/accused", "add or correct the accused", Handlers),
        ("GET", "/api/meldpunt/reports/{id:guid}/matches", "a report's matches", Handlers),
        ("GET", "/api/meldpunt/matches", "open matches", Handlers),
        ("GET", "/api/meldpunt/matches/{a:guid}/{b:guid}", "two matching reports side by side (404 unless they match)", With(Handlers, Caller.Handler, Expect.NotFound)),
        ("GET", "/portaal/meldingen/{id:guid}/beschuldigde", "page: add or correct the accused", PageFor(Caller.Handler)),
        ("GET", "/portaal/meldingen/overeenkomsten", "page: open matches", PageFor(Caller.Handler)),
        ("GET", "/portaal/meldingen/overeenkomsten/{a:guid}/{b:guid}", "page: two matching reports side by side (404 unless they match)",
            With(PageFor(Caller.Handler), Caller.Handler, Expect.NotFound)),
        ("GET", "/api/admin/institutions", "institutions", Administrators),
        ("POST", "/api/admin/institutions", "create an institution", Administrators),
        ("PUT", "/api/admin/institutions/{id:guid}", "change an institution's contact address", Administrators),
        ("GET", "/api/admin/users", "accounts", Administrators),
        ("POST", "/api/admin/users", "create an account", Administrators),
        ("POST", "/api/admin/users/{id:guid}/disable", "disable an account (not one's own)", Administrators),
        ("POST", "/api/admin/users/{id:guid}/enable", "enable an account", Administrators),
        ("POST", "/api/admin/users/{id:guid}/unlock", "clear a lockout after failed attempts", Administrators),
        ("POST", "/api/admin/users/{id:guid}/reset-two-factor", "reset an account's two-factor enrolment", Administrators),
        ("POST", "/api/admin/users/{id:guid}/unlink-identity", "unlink an account's federated identity", Administrators),
        ("GET", "/api/admin/rules", "the rules in force", Administrators),
        ("GET", "/api/admin/settings", "settings", Administrators),
        ("PUT", "/api/admin/settings", "change settings", Administrators),
        ("GET", "/api/admin/keys", "key rotation status", Administrators),
        ("POST", "/api/admin/keys/rewrap", "re-wrap data keys under the active key", Administrators),
        ("POST", "/api/admin/keys/receipt-signing/rotate", "rotate the key that signs proofs of filing", Administrators),
        ("GET", "/api/admin/statistics", "anonymous counts", Administrators),
        ("GET", "/api/admin/mail/undelivered", "mail the outbox could not deliver", Administrators),
        ("GET", "/api/admin/matching-keys", "matching key rotation status", Administrators),
        ("POST", "/api/admin/matching-keys/rehash", "re-hash the accused's identifiers under the active matching key", Administrators),
        ("GET", "/api/figures", "monitoring figures, suppressed (a board: own institution and sector)", Who(Expect.Forbidden,
            (Caller.BoardOwn, Expect.Allowed), (Caller.BoardOther, Expect.Allowed), (Caller.Administrator, Expect.Allowed))),
        ("GET", "/api/figures/export.csv", "the same figures as CSV", Who(Expect.Forbidden,
            (Caller.BoardOwn, Expect.Allowed), (Caller.BoardOther, Expect.Allowed), (Caller.Administrator, Expect.Allowed))),
        ("GET", "/portaal/cijfers", "monitoring figures: tables and charts", PageFor(Caller.BoardOwn, Caller.BoardOther, Caller.Administrator)),
        ("GET", "/portaal/cijfers/export.csv", "the page's figures as CSV", PageFor(Caller.BoardOwn, Caller.BoardOther, Caller.Administrator)),
        ("GET", "/hangfire/{**path}", "Hangfire dashboard (a page)", AdministratorsPage),
        // The incident register (docs/INCIDENTS.md): a school's board, and its staff members only when the board authorised them
        // (these callers are not); another school's incident is not found. The Inspectorate's intake is a role of its own.
        ("POST", "/api/incidents", "register a safety incident", Boards),
        ("GET", "/api/incidents", "the school's incident register", Boards),
        ("GET", "/api/incidents/{id:guid}", "an incident with what was done (read audited)", BoardStep),
        ("POST", "/api/incidents/{id:guid}/report", "record the report to the Inspectorate", BoardStep),
        ("POST", "/api/incidents/{id:guid}/legal-hold", "place or lift a legal hold on an incident", BoardStep),
        ("GET", "/api/incidents/duties", "board's open report duties", Boards),
        ("GET", "/api/incident-registrars", "staff members and whether each may keep the register", Boards),
        ("PUT", "/api/incident-registrars/{userId}", "authorise a staff member for the register", With(BoardStep, Caller.BoardOwn, Expect.Allowed)),
        ("GET", "/api/inspectie/incident-reports", "the Inspectorate's intake: reports received", InspectieOnly),
        // Staff members see the register's pages only when authorised (these are not: told it is not for them).
        ("GET", "/portaal/incidenten", "page: the school's incident register, and who may keep it", PageFor(Caller.BoardOwn, Caller.BoardOther)),
        ("GET", "/portaal/incidenten/nieuw", "page: register a safety incident", PageFor(Caller.BoardOwn, Caller.BoardOther)),
        ("GET", "/portaal/incidenten/{id:guid}", "page: an incident and its report to the Inspectorate", With(PageFor(Caller.BoardOwn), Caller.BoardOther, Expect.NotFound)),
        ("GET", "/portaal/inspectie/meldingen", "page: the Inspectorate's intake of incident reports", PageFor(Caller.Inspectie)),
    ];

    private static string Normalize(string pattern) => "/" + pattern.Trim('/');

    /// <summary>Valid bodies for the steps on a case, so that the access check, not validation, decides the answer.</summary>
    private static object? BodyFor(string pattern, string inspectorId) => pattern.Split('/').Last() switch
    {
        "consultation" => new { inspectorId, factsGiven = "x" },
        "outcome" => new { outcome = "MoreInformationNeeded", reasoning = "x", informationExpectedBy = "2030-01-01" },
        "parties-informed" => new { informedAt = DateTimeOffset.UtcNow.AddMinutes(-1), parties = new[] { "Parents", "Accused" }, how = "x" },
        "informing-impossible" => new { reason = "x" },
        "aangifte" => new { filedOn = DateOnly.FromDateTime(DateTime.UtcNow), policeUnit = "x", registrationNumber = "x" },
        "aangifte-notification" => new { notifiedOn = DateOnly.FromDateTime(DateTime.UtcNow) },
        "follow-up" => new { followUp = "None", reasoning = "x" },
        "legal-hold" => new { hold = true },
        "report" => new { reportedOn = DateOnly.FromDateTime(DateTime.UtcNow) },
        "incidents" => new RegisterIncident(Domain.Incidents.IncidentCategory.Threat, DateOnly.FromDateTime(DateTime.UtcNow), Domain.Incidents.PlaceType.Classroom,
            Domain.Incidents.HarmedParty.StaffMember, "x"),
        _ => null,
    };

    [Test]
    public async Task AccessTable_CoversEveryEndpoint()
    {
        var host = await TestHost.Get();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, Normalize(e.RoutePattern.RawText ?? ""))))
            .Where(x => x.m is not ("HEAD" or "OPTIONS"))
            .Distinct().ToList();
        var table = Table.Select(r => (r.Method, Normalize(r.Pattern))).ToHashSet();
        Assert.That(endpoints.Where(e => !table.Contains(e)).Select(e => $"{e.m} {e.Item2}"), Is.Empty, "endpoints without a row in the access table");
    }

    [Test]
    public async Task AccessTable_EveryEndpointAsEveryRole_AnswersAsIntended()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await w.Consult(c.Id)).Read<CaseRef>();
        var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
            "x", "y", w.InstitutionId, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Minor, Destination.MeldpuntOnly))).Read<ReportReceipt>(HttpStatusCode.Created);
        var reportId = await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);
        // With consent, so that forwarding is the handler's to do (without it the answer is a 403 of another kind).
        await (await w.Anonymous.Post("/api/reports/consent", new { receiptCode = receipt.ReceiptCode, items = new[] { "Description" } })).Read<ReportStatusView>();
        // A file, so that opening one is the handler's to do (docs/EVIDENCE.md).
        await (await w.Anonymous.PostAsync("/api/reports/files", new MultipartFormDataContent
        {
            { new StringContent(receipt.ReceiptCode), "receiptCode" }, { new ByteArrayContent("bewijs"u8.ToArray()), "file", "bewijs.txt" },
        })).Read<ReportStatusView>();
        var fileId = (await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{reportId}")).Files!.Single().Id;

        // The account changes act on an account of their own (disabling one of the callers would change later answers).
        var spare = await (await w.Admin.Post("/api/admin/users", new CreateUser($"reserve-{Guid.NewGuid():N}"[..20] + "@test.casehandling.nl", "Reserve",
            World.Password, StaffRole.Vertrouwensinspecteur, null))).Read<UserView>(HttpStatusCode.Created);

        var incident = await (await w.Board.Post("/api/incidents", BodyFor("/api/incidents", w.InspectorId)!)).Read<IncidentRef>(HttpStatusCode.Created);
        var staffId = (await w.Board.GetJson<List<IncidentRegistrarView>>("/api/incident-registrars")).Single().UserId;

        var clients = new Dictionary<Caller, HttpClient>
        {
            [Caller.Inspectie] = await World.NewUser(host, w.Admin, StaffRole.Inspectie, null),
            [Caller.Anonymous] = w.Anonymous, [Caller.BoardOwn] = w.Board, [Caller.BoardOther] = w.OtherBoard, [Caller.StaffOwn] = w.Staff,
            [Caller.StaffOther] = w.OtherStaff, [Caller.Inspector] = w.Inspector, [Caller.Handler] = w.Handler, [Caller.Administrator] = w.Admin,
        };
        var wrong = new List<string>();
        foreach (var (method, pattern, _, access) in Table)
        {
            var id = pattern.StartsWith("/api/meldpunt/") || pattern.StartsWith("/portaal/meldingen/") ? reportId.ToString()
                : pattern.StartsWith("/api/admin/institutions/") ? w.InstitutionId.ToString()
                : pattern.StartsWith("/api/admin/users/") ? spare.Id
                : pattern.StartsWith("/api/incidents/") || pattern.StartsWith("/portaal/incidenten/") ? incident.Id.ToString()
                : c.Id.ToString();
            var path = pattern.Replace("{id:guid}", id).Replace("{userId}", staffId).Replace("{a:guid}/{b:guid}", $"{reportId}/{c.Id}").Replace("{fileId:guid}", fileId.ToString()).Replace("{documentName}", "v1").Replace("{provider}", "surfconext").Replace("/{**path}", "");
            foreach (var (caller, expected) in access)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                    request.Content = BodyFor(pattern, w.InspectorId) is { } body && (pattern.StartsWith("/api/cases/") || pattern.StartsWith("/api/incidents"))
                        ? System.Net.Http.Json.JsonContent.Create(body, body.GetType(), options: CaseHandling.Server.Tests.Infrastructure.Api.Json)
                        : new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await clients[caller].SendAsync(request);
                var status = (int)response.StatusCode;
                var ok = expected switch
                {
                    Expect.Allowed => status is not (401 or 403 or 404) && status < 500,
                    Expect.Unauthorized => status == 401,
                    Expect.Forbidden => status == 403,
                    Expect.NotFound => status == 404,
                    // The test clients follow redirects, as a browser does: where did the page end up?
                    Expect.SignInPage => status == 200 && response.RequestMessage?.RequestUri?.PathAndQuery.StartsWith("/aanmelden?ReturnUrl=") == true,
                    Expect.AccessDeniedPage => status == 403 && response.RequestMessage?.RequestUri?.AbsolutePath == "/geen-toegang",
                };
                if (!ok) wrong.Add($"{method} {pattern} as {caller}: expected {expected}, got {status} at {response.RequestMessage?.RequestUri?.AbsolutePath}");
            }
        }
        Assert.That(wrong, Is.Empty, string.Join("\n", wrong));
    }

    /// <summary>docs/ACCESS.md is rendered from <see cref="Table"/>; regenerate with UPDATE_DOCS=1.</summary>
    [Test]
    public void AccessTable_PublishedDocument_MatchesTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Who may call what");
        sb.AppendLine();
        sb.AppendLine("Rendered from the access table in `tests/CaseHandling.Server.Tests/Features/AccessTableTests.cs`, which calls every");
        sb.AppendLine("endpoint as every role, from the case's own institution and from another, and checks each answer");
        sb.AppendLine("(regenerate: `UPDATE_DOCS=1 deploy/test.sh --filter AccessTable`). ✔ = allowed (the answer then depends on the input");
        sb.AppendLine("and the case's state); 401 = sign in first; 403 = not this role's; 404 = not yours (we do not say whether it exists).");
        sb.AppendLine("Pages answer a browser instead: → sign-in = redirected to the sign-in page (and back afterwards); → no access = redirected to a page saying so.");
        sb.AppendLine("\"own\" and \"other\" are the case's institution and another one; inspectors and the meldpunt are not bound to an institution.");
        sb.AppendLine();
        var callers = Enum.GetValues<Caller>();
        sb.AppendLine("| endpoint | what | " + string.Join(" | ", callers.Select(Label)) + " |");
        sb.AppendLine("|---|---|" + string.Concat(callers.Select(_ => "---|")));
        foreach (var (method, pattern, what, access) in Table)
            sb.AppendLine($"| `{method} {pattern}` | {what} | " + string.Join(" | ", callers.Select(c => access[c] switch
            {
                Expect.Allowed => "✔", Expect.Unauthorized => "401", Expect.Forbidden => "403", Expect.NotFound => "404",
                Expect.SignInPage => "→ sign-in", Expect.AccessDeniedPage => "→ no access",
            })) + " |");
        var expected = sb.ToString();

        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CaseHandling.sln"))) root = root.Parent;
        var path = Path.Combine(root!.FullName, "docs", "ACCESS.md");
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.That(File.Exists(path) ? File.ReadAllText(path) : "", Is.EqualTo(expected), "docs/ACCESS.md is out of date");
    }

    private static string Label(Caller c) => c switch
    {
        Caller.Anonymous => "anonymous", Caller.BoardOwn => "board (own)", Caller.BoardOther => "board (other)",
        Caller.StaffOwn => "staff (own)", Caller.StaffOther => "staff (other)", Caller.Inspector => "inspector",
        Caller.Handler => "meldpunt", Caller.Administrator => "administrator", Caller.Inspectie => "Inspectie (intake)",
    };
}

/// <summary>Web hardening: headers on pages, API and errors alike.</summary>
public sealed class SecurityHeaderTests
{
    [Test]
    public async Task Responses_PagesApiAndErrors_StrictPolicyNoCacheHstsOverHttps()
    {
        var host = await TestHost.Get();
        var https = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        foreach (var path in new[] { "/melden", "/api/reports/institutions", "/api/cases" })
        {
            var r = await https.GetAsync(path);
            Assert.That(r.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'"), path);
            Assert.That(r.Headers.CacheControl?.NoStore, Is.True, path);
            Assert.That(r.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
            Assert.That(r.Headers.GetValues("Strict-Transport-Security").Single(), Does.Contain("max-age="), path);
        }
        var http = await host.CreateClient().GetAsync("/melden");
        Assert.That(http.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS only over HTTPS");
    }

    [TestCase("cross-site", null, true)]
    [TestCase("same-site", null, true)]
    [TestCase(null, "http://elders.example", true)]
    [TestCase("same-origin", "null", false)]
    [TestCase("none", null, false)]
    [TestCase(null, "null", false)]
    [TestCase(null, "http://localhost", false)]
    [TestCase(null, null, false)]
    public async Task ReporterForms_FromAnotherSite_RefusedWithoutACookie(string? fetchSite, string? origin, bool refused)
    {
        var host = await TestHost.Get();
        var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/opvolgen")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["ReceiptCode"] = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" }),
        };
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode == HttpStatusCode.Forbidden, Is.EqualTo(refused), $"{(int)response.StatusCode}");
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False, "still no cookie");
    }

    [Test]
    public async Task SignInCookie_RequireHttps_SecureHttpOnlyStrict()
    {
        var host = await TestHost.Get("require-https", new() { ["Security:RequireHttps"] = "true" });
        var https = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        var r = await https.Post("/api/auth/login?useCookies=true", new { email = TestHost.AdminEmail, password = TestHost.AdminPassword });
        var cookie = r.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.That(cookie, Does.Contain("secure").And.Contain("httponly").And.Contain("samesite=strict"));
    }
}
