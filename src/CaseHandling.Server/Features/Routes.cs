using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Auth;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Features.Statistics;
using CaseHandling.Server.Infrastructure.Errors;
using CaseHandling.Server.Infrastructure.Http;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Features;

/// <summary>The route table: every endpoint, its policy and its use case, on one screen.</summary>
public static class Routes
{
    public static void MapCaseHandling(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        // Sign-in and account (no self-registration).
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/login", Login.Handle).AllowAnonymous();
        auth.MapGet("/me", Me.Handle).RequireAuthorization(Policies.SignedIn);
        auth.MapPost("/2fa/setup", TwoFactor.Setup).RequireAuthorization(Policies.SignedIn);
        auth.MapPost("/2fa/enable", TwoFactor.Enable).RequireAuthorization(Policies.SignedIn);

        // Step 1: a staff member's notification to the board.
        api.MapPost("/staff-notifications", Send<NotifyBoard, NotificationReceipt>(r => TypedResults.Created((string?)null, r)))
            .RequireAuthorization(Policies.StaffMember).WithTags("Chain");

        var cases = api.MapGroup("/cases").WithTags("Chain");
        // Step 1 (other route): the board registers a matter it learned of in any other way.
        cases.MapPost("/", Send<RegisterCase, CaseRef>(r => TypedResults.Created($"/api/cases/{r.Id}", r)))
            .RequireAuthorization(Policies.Board);
        cases.MapGet("/", Query<ListCases, IReadOnlyList<CaseListItem>>(() => new ListCases())).RequireAuthorization(Policies.CaseReader);
        cases.MapGet("/{id:guid}", async (Guid id, IMediator m, HttpResponse res, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(new GetCase(id), ct), c => WithETag(res, c, c.Version)))
            .RequireAuthorization(Policies.CaseReader);
        cases.MapGet("/{id:guid}/access-log", async (Guid id, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(new GetAccessLog(id), ct), v => TypedResults.Ok(v)))
            .RequireAuthorization(Policies.CaseReader);
        // Steps 2–7, each on the case.
        Step<StartOverleg>(cases, "/{id:guid}/consultation", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });
        Step<RecordOutcome>(cases, "/{id:guid}/outcome", Policies.Inspector, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });
        Step<InformParties>(cases, "/{id:guid}/parties-informed", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });
        Step<RecordInformingImpossible>(cases, "/{id:guid}/informing-impossible", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });
        Step<FileAangifte>(cases, "/{id:guid}/aangifte", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });
        Step<NotifyInspectorOfAangifte>(cases, "/{id:guid}/aangifte-notification", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });
        Step<RecordFollowUp>(cases, "/{id:guid}/follow-up", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });
        // Outside the chain: a legal hold keeps the case from erasure at the end of its retention period.
        Step<SetLegalHold>(cases, "/{id:guid}/legal-hold", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v });

        // Work lists.
        api.MapGet("/duties", Query<ListOpenDuties, IReadOnlyList<OpenDutyView>>(() => new ListOpenDuties()))
            .RequireAuthorization(Policies.Board).WithTags("Work lists");
        api.MapGet("/consultations", Query<ListOverleggen, IReadOnlyList<OverlegView>>(() => new ListOverleggen()))
            .RequireAuthorization(Policies.Inspector).WithTags("Work lists");
        api.MapGet("/inspectors", Query<ListInspectors, IReadOnlyList<InspectorView>>(() => new ListInspectors()))
            .RequireAuthorization(Policies.Board).WithTags("Work lists");

        // The meld-/steunpunt, reporter's side: anonymous, rate-limited without identifying anyone, the receipt
        // code only ever in a POST body (never in a URL).
        var reports = api.MapGroup("/reports").WithTags("Meldpunt (reporter)").AllowAnonymous();
        reports.MapGet("/institutions", Query<ListPublicInstitutions, IReadOnlyList<PublicInstitution>>(() => new ListPublicInstitutions()));
        reports.MapPost("/", Send<SubmitReport, ReportReceipt>(r => TypedResults.Created((string?)null, r)))
            .RequireRateLimiting(ReporterRateLimits.Submit);
        reports.MapPost("/status", Ask<GetReportStatus, ReportStatusView>()).RequireRateLimiting(ReporterRateLimits.Code);
        reports.MapPost("/messages", Send<ReplyToReport, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code);
        reports.MapPost("/consent", Send<GiveConsent, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code);
        reports.MapPost("/consent/withdraw", Send<WithdrawConsent, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code);

        // The meld-/steunpunt, handler's side.
        var meldpunt = api.MapGroup("/meldpunt/reports").WithTags("Meldpunt (handler)").RequireAuthorization(Policies.MeldpuntHandler);
        meldpunt.MapGet("/", async (bool? includeClosed, string? number, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new ListReports(includeClosed ?? false, number), ct), v => TypedResults.Ok(v)));
        meldpunt.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetReport(id), ct), v => TypedResults.Ok(v)));
        meldpunt.MapPost("/{id:guid}/messages", async (Guid id, SendHandlerMessage body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)));
        meldpunt.MapPost("/{id:guid}/forward", async (Guid id, ForwardReport body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)));
        meldpunt.MapPost("/{id:guid}/close", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new CloseReport(id), ct), v => TypedResults.Ok(v)));
        meldpunt.MapPost("/{id:guid}/legal-hold", async (Guid id, SetReportLegalHold body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)));
        // Repeat-accused matching (docs/MATCHING.md): the accused as named, and the matches; the meldpunt handler only.
        meldpunt.MapGet("/{id:guid}/accused", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetAccused(id), ct), v => TypedResults.Ok(v)));
        meldpunt.MapPut("/{id:guid}/accused", async (Guid id, SetAccused body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)));
        meldpunt.MapGet("/{id:guid}/matches", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new ListMatchesForReport(id), ct), v => TypedResults.Ok(v)));
        var matches = api.MapGroup("/meldpunt/matches").WithTags("Meldpunt (handler)").RequireAuthorization(Policies.MeldpuntHandler);
        matches.MapGet("/", async (bool? includeClosed, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new ListMatches(includeClosed ?? false), ct), v => TypedResults.Ok(v)));
        matches.MapGet("/{a:guid}/{b:guid}", async (Guid a, Guid b, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetMatch(a, b), ct), v => TypedResults.Ok(v)));

        // The incident register (bill 36 777; po, vo, so): a school's board and the staff members it authorised register safety
        // incidents; serious or recurring ones are reported to the Inspectorate (docs/INCIDENTS.md). Each route has a name and a summary.
        var incidents = api.MapGroup("/incidents").WithTags("Incident register").RequireAuthorization(Policies.IncidentRegister);
        incidents.MapPost("/", Send<RegisterIncident, IncidentRef>(r => TypedResults.Created($"/api/incidents/{r.Id}", r)))
            .WithName("RegisterIncident").WithSummary("Register a safety incident (no names; a pupil number only as a keyed hash).");
        incidents.MapGet("/", Query<ListIncidents, IReadOnlyList<IncidentListItem>>(() => new ListIncidents()))
            .WithName("ListIncidents").WithSummary("The school's incident register, newest first, in codes.");
        incidents.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(new GetIncident(id), ct), v => TypedResults.Ok(v)))
            .WithName("GetIncident").WithSummary("One incident of the school, with what was done; the read is audited.");
        incidents.MapPost("/{id:guid}/report", async (Guid id, ReportIncident body, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(body with { IncidentId = id }, ct), v => TypedResults.Ok(v)))
            .RequireAuthorization(Policies.Board)
            .WithName("ReportIncidentToInspectorate").WithSummary("Record the report of a serious or recurring incident to the Inspectorate.");
        incidents.MapGet("/duties", Query<ListIncidentReportDuties, IReadOnlyList<IncidentDutyView>>(() => new ListIncidentReportDuties()))
            .RequireAuthorization(Policies.Board)
            .WithName("ListIncidentReportDuties").WithSummary("The board's open duties to report an incident to the Inspectorate.");
        incidents.MapGet("/registrars", Query<ListIncidentRegistrars, IReadOnlyList<IncidentRegistrarView>>(() => new ListIncidentRegistrars()))
            .RequireAuthorization(Policies.Board)
            .WithName("ListIncidentRegistrars").WithSummary("The board's staff members and whether each may keep the register.");
        incidents.MapPut("/registrars/{userId}", async (string userId, SetIncidentRegistrar body, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(body with { UserId = userId }, ct), v => TypedResults.Ok(v)))
            .RequireAuthorization(Policies.Board)
            .WithName("SetIncidentRegistrar").WithSummary("Authorise a staff member to keep the incident register, or withdraw it.");
        // The Inspectorate's intake (role Inspectie, not the vertrouwensinspecteur): reports received from the schools.
        api.MapGet("/inspectie/incident-reports", Query<ListIncidentReports, IReadOnlyList<IncidentReportView>>(() => new ListIncidentReports()))
            .RequireAuthorization(Policies.Inspectie).WithTags("Incident register")
            .WithName("ListIncidentReports").WithSummary("Reports of serious or recurring safety incidents received from the schools.");

        // Administration: institutions, users, the rules in force. Never case content.
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(Policies.Administrator);
        admin.MapGet("/institutions", Query<ListInstitutions, IReadOnlyList<InstitutionView>>(() => new ListInstitutions()));
        admin.MapPost("/institutions", Send<CreateInstitution, InstitutionView>(r => TypedResults.Created((string?)null, r)));
        admin.MapPut("/institutions/{id:guid}", async (Guid id, UpdateInstitutionContact body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { InstitutionId = id }, ct), v => TypedResults.Ok(v)));
        admin.MapGet("/users", Query<ListUsers, IReadOnlyList<UserView>>(() => new ListUsers()));
        admin.MapPost("/users", Send<CreateUser, UserView>(r => TypedResults.Created((string?)null, r)));
        // An account's state: disabled (no sign-in, sessions end), a lockout cleared, two-factor to enrol again.
        AccountStep(admin, "/users/{id:guid}/disable", id => new SetAccountDisabled(id, true));
        AccountStep(admin, "/users/{id:guid}/enable", id => new SetAccountDisabled(id, false));
        AccountStep(admin, "/users/{id:guid}/unlock", id => new UnlockAccount(id));
        AccountStep(admin, "/users/{id:guid}/reset-two-factor", id => new ResetTwoFactor(id));
        admin.MapGet("/rules", Query<GetRules, RulesView>(() => new GetRules()));
        admin.MapGet("/settings", Query<GetSettings, SettingsView>(() => new GetSettings()));
        admin.MapPut("/settings", Send<UpdateSettings, SettingsView>(r => TypedResults.Ok(r)));
        // Encryption at rest: rotation status and re-wrapping (docs/ENCRYPTION.md); anonymous counts (docs/RETENTION.md).
        admin.MapGet("/keys", Query<GetKeyStatus, KeyStatusView>(() => new GetKeyStatus()));
        admin.MapPost("/keys/rewrap", async (IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new RewrapDataKeys(), ct), v => TypedResults.Ok(v)));
        // The matching key's rotation: status, and re-hashing from the sealed plaintext (docs/MATCHING.md).
        admin.MapGet("/matching-keys", Query<GetMatchingKeyStatus, MatchingKeyStatusView>(() => new GetMatchingKeyStatus()));
        admin.MapPost("/matching-keys/rehash", async (IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new RehashAccusedIdentifiers(), ct), v => TypedResults.Ok(v)));
        admin.MapGet("/statistics", Query<GetStatistics, StatisticsView>(() => new GetStatistics()));
        // Mail the outbox gave up on (docs/RELIABILITY.md): seen, not silently dropped.
        admin.MapGet("/mail/undelivered", Query<ListUndeliveredMail, IReadOnlyList<UndeliveredMailView>>(() => new ListUndeliveredMail()));

        // Monitoring figures with small-cell suppression (docs/STATISTICS.md): the administrator every institution, a board
        // its own beside its sector. The CSV carries the same published figures as the JSON.
        var figures = api.MapGroup("/figures").WithTags("Figures").RequireAuthorization(Policies.Figures);
        figures.MapGet("/", Query<GetMonitoringFigures, MonitoringFigures>(() => new GetMonitoringFigures()));
        figures.MapGet("/export.csv", async (IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetMonitoringFigures(), ct), v => TypedResults.Text(FiguresCsv.Write(v), FiguresCsv.ContentType)));
    }

    /// <summary>200 with the case and its version as the ETag (If-Match on the next step).</summary>
    private static IResult WithETag<T>(HttpResponse response, T value, uint version)
    {
        response.Headers.ETag = ETag.Format(version);
        return TypedResults.Ok(value);
    }

    private static Func<TCommand, IMediator, CancellationToken, Task<IResult>> Send<TCommand, T>(Func<T, IResult> onSuccess)
        where TCommand : ICommand<Result<T>> =>
        async (cmd, m, ct) => ErrorMapper.ToHttp(await m.Send(cmd, ct), onSuccess);

    /// <summary>A query whose input is the body (e.g. a receipt code, which must not be in a URL).</summary>
    private static Func<TQuery, IMediator, CancellationToken, Task<IResult>> Ask<TQuery, T>()
        where TQuery : IQuery<Result<T>> =>
        async (q, m, ct) => ErrorMapper.ToHttp(await m.Send(q, ct), v => TypedResults.Ok(v));

    private static Func<IMediator, CancellationToken, Task<IResult>> Query<TQuery, T>(Func<TQuery> make)
        where TQuery : IQuery<Result<T>> =>
        async (m, ct) => ErrorMapper.ToHttp(await m.Send(make(), ct), v => TypedResults.Ok(v));

    /// <summary>A change to an account named by the route; no body.</summary>
    private static void AccountStep<TCommand>(RouteGroupBuilder group, string pattern, Func<Guid, TCommand> make)
        where TCommand : ICommand<Result<UserView>> =>
        group.MapPost(pattern, async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(make(id), ct), v => TypedResults.Ok(v)));

    /// <summary>A step on an existing case: the body is the command; the route gives the case, If-Match its version.</summary>
    private static void Step<TCommand>(RouteGroupBuilder group, string pattern, string policy, Func<TCommand, Guid, uint?, TCommand> bind)
        where TCommand : ICommand<Result<CaseRef>> =>
        group.MapPost(pattern, async (Guid id, TCommand body, [FromHeader(Name = "If-Match")] string? ifMatch,
                IMediator m, HttpResponse res, CancellationToken ct) =>
            {
                var version = ETag.Parse(ifMatch);
                if (!version.IsSuccess) return ErrorMapper.ToHttp(version.Error!);
                return ErrorMapper.ToHttp(await m.Send(bind(body, id, version.Value), ct), c => WithETag(res, c, c.Version));
            })
            .RequireAuthorization(policy);
}
