using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Auth;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Features.Statistics;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Errors;
using CaseHandling.Server.Infrastructure.Http;
using CaseHandling.Server.Infrastructure.OpenApi;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Features;

/// <summary>
/// The route table: every endpoint, its policy and its use case, on one screen. Each API route ends in
/// <c>.Doc&lt;UseCase&gt;(summary, description)</c>, which names the operation in the OpenAPI document after its use case;
/// the security requirement and the error answers are derived from the route's policy and shape (docs/API.md).
/// </summary>
public static class Routes
{
    /// <summary>The statutory basis of the chain's steps: one article per sector, the same wording.</summary>
    private static string Law(string lid) =>
        $"WHW art. 1.20 {lid} and its counterparts (WPO art. 4a, WVO art. 3, WEC art. 4a, WEB art. 1.3.8)";

    public static void MapCaseHandling(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        // Sign-in and account (no self-registration).
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/login", Login.Handle).AllowAnonymous()
            .Doc("Login", "Sign in", "E-mail and password (and `twoFactorCode` once two-factor is on). Answers a bearer token " +
                "(`accessToken`, one hour; sign in again when it expires: the `refreshToken` in the answer is not exchanged by any route of this version); with `?useCookies=true` it sets the HttpOnly sign-in cookie instead and answers " +
                "an empty 200. A wrong password and an unknown address get the same 401; repeated failures lock the account for 15 minutes.")
            .Produces<Microsoft.AspNetCore.Authentication.BearerToken.AccessTokenResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapGet("/me", Me.Handle).RequireAuthorization(Policies.SignedIn)
            .Doc("GetMe", "Who I am", "The signed-in account: roles, institution, whether two-factor is on and whether this session used it.");
        auth.MapPost("/2fa/setup", TwoFactor.Setup).RequireAuthorization(Policies.SignedIn)
            .Doc("SetUpTwoFactor", "Start two-factor enrolment", "The TOTP shared key and an `otpauth://` URI for an authenticator app.");
        auth.MapPost("/2fa/enable", TwoFactor.Enable).RequireAuthorization(Policies.SignedIn)
            .Doc("EnableTwoFactor", "Turn two-factor on", "Confirms enrolment with a current code from the app; from then on the login needs `twoFactorCode`.");

        // Step 1: a staff member's notification to the board.
        api.MapPost("/staff-notifications", Send<NotifyBoard, NotificationReceipt>(r => TypedResults.Created((string?)null, r)))
            .RequireAuthorization(Policies.StaffMember).WithTags("Chain")
            .Doc<NotifyBoard>("Notify the board (step 1)", $"Step 1 ({Law("lid 3")}): a staff member who learns of a possible " +
                "zedenmisdrijf (or seksuele intimidatie, under the extended regime) by a met taken belast persoon informs the board " +
                "itself, onverwijld. Opens the case at the board; the staff member gets only its number.", StatusCodes.Status201Created);

        var cases = api.MapGroup("/cases").WithTags("Chain");
        // Step 1 (other route): the board registers a matter it learned of in any other way.
        cases.MapPost("/", Send<RegisterCase, CaseRef>(r => TypedResults.Created($"/api/cases/{r.Id}", r)))
            .RequireAuthorization(Policies.Board)
            .Doc<RegisterCase>("Register a matter (step 1, other route)", $"The board learned of a matter \"op enigerlei wijze\" ({Law("lid 1")}). " +
                "The case says which regime and rule apply, and opens its duties with their due times (step 2 first).", StatusCodes.Status201Created);
        cases.MapGet("/", Query<ListCases, IReadOnlyList<CaseListItem>>(() => new ListCases())).RequireAuthorization(Policies.CaseReader)
            .Doc<ListCases>("List cases", "A board's own institution's cases, or the cases of an inspector's overleggen.");
        cases.MapGet("/{id:guid}", async (Guid id, IMediator m, HttpResponse res, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(new GetCase(id), ct), c => WithETag(res, c, c.Version)))
            .RequireAuthorization(Policies.CaseReader).Versioned()
            .Doc<GetCase>("Read a case", "The facts, the regime and rule that apply and why, every duty with its legal basis and due time, " +
                "the timeline, and the steps allowed next. Every read is recorded in the audit trail.");
        cases.MapGet("/{id:guid}/access-log", async (Guid id, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(new GetAccessLog(id), ct), v => TypedResults.Ok(v)))
            .RequireAuthorization(Policies.CaseReader)
            .Doc<GetAccessLog>("Who has seen the case", "Every read and change of the case, by whom and when, from the hash-chained audit trail.");
        // Steps 2–7, each on the case.
        Step<StartOverleg>(cases, "/{id:guid}/consultation", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<StartOverleg>("Start the overleg (step 2)", $"Step 2 ({Law("lid 1")}): the board consults a named vertrouwensinspecteur, onverwijld (by default the next working day 12:00). Inspector ids: `GET /api/inspectors`.");
        Step<RecordOutcome>(cases, "/{id:guid}/outcome", Policies.Inspector, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<RecordOutcome>("Record the outcome of the overleg (step 3)", $"Step 3 ({Law("lid 2")}): the vertrouwensinspecteur concludes whether there is a redelijk vermoeden, with reasoning. `ReasonableSuspicion` opens steps 4 to 6; `NoReasonableSuspicion` step 7; `MoreInformationNeeded` needs `informationExpectedBy`; after `SexualHarassment` the inspector may still conclude `ReasonableSuspicion`.");
        Step<InformParties>(cases, "/{id:guid}/parties-informed", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<InformParties>("Record that the parties were informed (step 4)", $"Step 4 ({Law("lid 2")}: \"voordat\"): the parents (a minor) or the student (an adult) and the accused are informed before the aangifte.");
        Step<RecordInformingImpossible>(cases, "/{id:guid}/informing-impossible", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<RecordInformingImpossible>("Record that informing was impossible (step 4)", $"Step 4 ({Law("lid 2")}): informing the parties first was impossible (e.g. police advice). Only with a written reason, which the vertrouwensinspecteur sees.");
        Step<FileAangifte>(cases, "/{id:guid}/aangifte", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<FileAangifte>("Record the aangifte (step 5)", $"Step 5 ({Law("lid 2")}; Sv art. 127 jo 141): the board files an aangifte with the police, onverwijld, and records the date, police unit and registration number. Only after step 4.");
        Step<NotifyInspectorOfAangifte>(cases, "/{id:guid}/aangifte-notification", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<NotifyInspectorOfAangifte>("Notify the inspector of the aangifte (step 6)", $"Step 6 ({Law("lid 2")}): the board informs the vertrouwensinspecteur that the aangifte was filed, onverwijld (by default by the end of the next working day).");
        Step<RecordFollowUp>(cases, "/{id:guid}/follow-up", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<RecordFollowUp>("Record the follow-up and close the case (step 7)", "Step 7: the follow-up under employment law or the complaints procedure (or none), with reasoning. Closes the case; without a redelijk vermoeden it is the step after step 3.");
        // Outside the chain: a legal hold keeps the case from erasure at the end of its retention period.
        Step<SetLegalHold>(cases, "/{id:guid}/legal-hold", Policies.Board, (c, id, v) => c with { CaseId = id, ExpectedVersion = v })
            .Doc<SetLegalHold>("Place or lift a legal hold", "Outside the chain: a legal hold keeps the case from erasure at the end of its retention period (docs/RETENTION.md).");

        // Work lists.
        api.MapGet("/duties", Query<ListOpenDuties, IReadOnlyList<OpenDutyView>>(() => new ListOpenDuties()))
            .RequireAuthorization(Policies.Board).WithTags("Work lists")
            .Doc<ListOpenDuties>("The board's open duties", "Every open statutory duty of the board's institution, the soonest due first, with its legal basis.");
        api.MapGet("/consultations", Query<ListOverleggen, IReadOnlyList<OverlegView>>(() => new ListOverleggen()))
            .RequireAuthorization(Policies.Inspector).WithTags("Work lists")
            .Doc<ListOverleggen>("The inspector's consultations", "The overleggen awaiting this inspector's outcome (step 3), in due order.");
        api.MapGet("/inspectors", Query<ListInspectors, IReadOnlyList<InspectorView>>(() => new ListInspectors()))
            .RequireAuthorization(Policies.Board).WithTags("Work lists")
            .Doc<ListInspectors>("Inspectors to consult", "The vertrouwensinspecteurs a board can name when it starts the overleg (step 2).");

        // The meld-/steunpunt, reporter's side: anonymous, rate-limited without identifying anyone, the receipt
        // code only ever in a POST body (never in a URL).
        var reports = api.MapGroup("/reports").WithTags("Meldpunt (reporter)").AllowAnonymous();
        reports.MapGet("/institutions", Query<ListPublicInstitutions, IReadOnlyList<PublicInstitution>>(() => new ListPublicInstitutions()))
            .Doc<ListPublicInstitutions>("Institutions to report about", "The institutions a reporter can name (name and sector only).");
        reports.MapPost("/", Send<SubmitReport, ReportReceipt>(r => TypedResults.Created((string?)null, r)))
            .RequireRateLimiting(ReporterRateLimits.Submit)
            .Doc<SubmitReport>("Report to the meldpunt", "A report, anonymous if the reporter wishes. Answers the receipt code once (only its hash is kept): " +
                "the meldpunt acknowledges within 7 days and gives feedback within 3 months (EU directive 2019/1937 art. 9). A staff member's report of a " +
                $"possible zedenmisdrijf by a met taken belast persoon is their step-1 notification ({Law("lid 3")}) and goes to the board at once.",
                StatusCodes.Status201Created);
        reports.MapPost("/status", Ask<GetReportStatus, ReportStatusView>()).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Doc<GetReportStatus>("Follow up a report", "The report's status in plain language and the handler's messages, by its receipt code " +
                "(in the body, never in a URL). A wrong and an unknown code get the same 404.");
        reports.MapPost("/messages", Send<ReplyToReport, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<ReplyToReport>("Reply to the meldpunt", "The reporter's message in the anonymous dialogue, by receipt code. A closed report takes no reply (409).");
        reports.MapPost("/consent", Send<GiveConsent, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<GiveConsent>("Consent to forwarding", "What the meldpunt may forward to the institution's board, item by item (description, contact details, messages).");
        reports.MapPost("/consent/withdraw", Send<WithdrawConsent, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<WithdrawConsent>("Withdraw consent", "Withdraws the consent while nothing has been forwarded yet; afterwards it is too late (409).");
        reports.MapPost("/notice", Send<SetReplyNotice, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<SetReplyNotice>("Be told of a reply", "An e-mail address for one fixed notice whenever the meldpunt writes: \"there is a new message at " +
                "the meldpunt; read it with your code\". It names no institution, case or report; the address is sealed and never shown to anyone, " +
                "not even back here (`noticeEmailSet`). A closed report takes none (409).");
        reports.MapPost("/notice/remove", Send<RemoveReplyNotice, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Doc<RemoveReplyNotice>("Stop the notices", "Removes the address: no notice is sent from now on, also not for a message already written.");
        reports.MapPost("/rating", Send<RateHandling, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<RateHandling>("Say how it went", "Three answers from 1 to 5 (taken seriously, kept informed, would report again) and an optional line, " +
                "once the meldpunt gave its feedback or closed the report (`canRate`), and once only; otherwise 409. Counted in the monitoring figures.");
        // Evidence (docs/EVIDENCE.md): files attached with the code, each kept as sent and as a cleaned copy.
        reports.MapPost("/files", async (HttpRequest request, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(await ReportFiles.ReadAsync(request, ct), ct), v => TypedResults.Ok(v)))
            .Uploads("receiptCode", "file").RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<AttachReportFile>("Attach a file to a report", "A file (`file`, after `receiptCode`) as evidence: JPEG, PNG, WebP, HEIC/HEIF, PDF, Word, Excel, " +
                "PowerPoint, text, MP3, M4A, OGG or WAV, decided by its content; anything else 400 at `file` with the list. The original is kept byte for byte " +
                "(its SHA-256 in `files`), a copy without location, device, time, author and other properties is what the meldpunt sees by default; " +
                "`files[].removed` says what was removed, `cleaningFailed` where it could not be. Limits: a size per file, a number and a total per report.");
        reports.MapPost("/files/withdraw", Send<WithdrawReportFile, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<WithdrawReportFile>("Withdraw a file", "Withdraws file `number` while no one at the meldpunt has opened it (`canWithdraw`); afterwards 409.");
        // An oral report's written account (directive 2019/1937 art. 18): the reporter checks, corrects and agrees.
        reports.MapPost("/account", Send<CorrectOralAccount, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<CorrectOralAccount>("Correct the account of an oral report", "A new version of the handler's written account of a report given by phone or " +
                "in a meeting (`oralAccount`), in the reporter's words; every version is kept. Not an oral report, already approved or closed: 409.");
        reports.MapPost("/account/approve", Send<ApproveOralAccount, ReportStatusView>(r => TypedResults.Ok(r))).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound).Conflicts()
            .Doc<ApproveOralAccount>("Approve the account of an oral report", "The reporter agrees to the account, naming the `version` they read; the time is " +
                "recorded. A newer version written since, an approval already given, or not an oral report: 409.");
        // Proof of filing (docs/RECEIPTS.md): signed by the meldpunt, checked by anyone against the published keys.
        reports.MapPost("/proof", Ask<GetFilingProof, FilingProofView>()).RequireRateLimiting(ReporterRateLimits.Code)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Doc<GetFilingProof>("Proof of filing", "A proof, signed by the meldpunt (Ed25519), of the report (its number, when it was received, the SHA-256 of " +
                "its text), of one of the reporter's messages (`message`), or of the board's receipt after forwarding (`kind: Forwarded`). By receipt code; " +
                "it holds nothing that identifies the reporter. Save `proof` as `fileName`.");
        reports.MapPost("/proof/verify", Ask<VerifyFilingProof, ProofVerification>()).RequireRateLimiting(ReporterRateLimits.Code)
            .Doc<VerifyFilingProof>("Check a proof of filing", "Whether the meldpunt signed this proof, and what and when it attests. A changed byte, a forged " +
                "proof and a proof naming a report that does not exist are all `valid: false`; nothing else is revealed.");
        reports.MapGet("/proof/keys", Query<ListReceiptKeys, IReadOnlyList<ReceiptKeyView>>(() => new ListReceiptKeys()))
            .RequireRateLimiting(ReporterRateLimits.Code)
            .Doc<ListReceiptKeys>("The meldpunt's signing keys", "Every public key that ever signed a proof of filing (Ed25519), the one in force first, raw and as PEM.");

        // The meld-/steunpunt, handler's side.
        var meldpunt = api.MapGroup("/meldpunt/reports").WithTags("Meldpunt (handler)").RequireAuthorization(Policies.MeldpuntHandler);
        meldpunt.MapGet("/", async (bool? includeClosed, string? number, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new ListReports(includeClosed ?? false, number), ct), v => TypedResults.Ok(v)))
            .Doc<ListReports>("The meldpunt's inbox", "Open reports, the service level due soonest first (`includeClosed=true` for closed ones too, `number=M-000042` for one).");
        meldpunt.MapPost("/oral", async (RecordOralReport body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body, ct), v => TypedResults.Created($"/api/meldpunt/reports/{v.Id}", v)))
            .Doc<RecordOralReport>("Record an oral report", "A report given by phone or in a meeting (EU directive 2019/1937 art. 9 lid 2), written down by the " +
                "handler: the same facts as an online report (`report`), how it came in (`channel`) and when (`receivedAt`, at most 7 days ago). The 7-day " +
                "acknowledgement runs from the call. Answers the receipt code once, to be passed on orally; with it the reporter reads, corrects and approves " +
                "the account (art. 18).", StatusCodes.Status201Created);
        meldpunt.MapPost("/{id:guid}/account", async (Guid id, ReviseOralAccount body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)))
            .Conflicts().Doc<ReviseOralAccount>("Revise the account of an oral report", "A new version of the written account, until the reporter approves it; " +
                "the earlier versions are kept. Not an oral report, approved or closed: 409.");
        meldpunt.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetReport(id), ct), v => TypedResults.Ok(v)))
            .Doc<GetReport>("Read a report", "What the reporter wrote, each service level (the 7-day acknowledgement, the 3-month feedback) with its due time, the dialogue and the consent. Every read is audited.");
        meldpunt.MapPost("/{id:guid}/messages", async (Guid id, SendHandlerMessage body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)))
            .Conflicts().Doc<SendHandlerMessage>("Answer the reporter", "`Acknowledgement` meets the 7-day service level and starts the 3-month one; `Feedback` meets that (EU directive 2019/1937 art. 9). A closed report takes no message (409).");
        meldpunt.MapGet("/{id:guid}/files/{fileId:guid}", async (Guid id, Guid fileId, HttpContext http, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(new DownloadReportFile(id, fileId, false, null), ct), f => ReportFiles.Serve(http, f)))
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/octet-stream")
            .Doc("DownloadReportFile", "Open a file (the cleaned copy)", "The cleaned copy of a report's file, without what could identify its maker, as an " +
                "attachment with its stored type. Recorded in the audit trail; from then on the reporter cannot withdraw it.");
        meldpunt.MapPost("/{id:guid}/files/{fileId:guid}/original", async (Guid id, Guid fileId, DownloadReportFile body, HttpContext http, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(body with { ReportId = id, FileId = fileId, Original = true }, ct), f => ReportFiles.Serve(http, f)))
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/octet-stream")
            .Doc("DownloadOriginalReportFile", "Open a file's original", "The file byte for byte as the reporter sent it, metadata and all: only with a " +
                "`reason`, which is kept (sealed) with the audit entry. Use the cleaned copy unless the original itself is needed as evidence.");
        meldpunt.MapGet("/{id:guid}/forwarding-proof", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetForwardingProof(id), ct), v => TypedResults.Ok(v)))
            .Doc<GetForwardingProof>("Proof of forwarding", "The meldpunt's signed proof (docs/RECEIPTS.md) that it forwarded the report to the board, and when: " +
                "the board knew from then. The same proof the reporter can fetch with the receipt code. Not forwarded: 404.");
        meldpunt.MapPost("/{id:guid}/forward", async (Guid id, ForwardReport body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)))
            .Conflicts().Doc<ForwardReport>("Forward a report to the board", $"With the reporter's consent (or the staff member's duty, {Law("lid 3")}): opens the board's case, whose duties run from now, or joins a case the board already has (`joinCaseNumber`). The handler may correct the facts the duty matrix reads. Without consent 403; already forwarded or closed 409.");
        meldpunt.MapPost("/{id:guid}/close", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new CloseReport(id), ct), v => TypedResults.Ok(v)))
            .Conflicts().Doc<CloseReport>("Close a report", "Closes the report; its retention period starts. A closed report cannot be closed again (409).");
        meldpunt.MapPost("/{id:guid}/legal-hold", async (Guid id, SetReportLegalHold body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)))
            .Doc<SetReportLegalHold>("Place or lift a legal hold on a report", "Keeps the report from erasure at the end of its retention period (docs/RETENTION.md).");
        // Repeat-accused matching (docs/MATCHING.md): the accused as named, and the matches; the meldpunt handler only.
        meldpunt.MapGet("/{id:guid}/accused", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetAccused(id), ct), v => TypedResults.Ok(v)))
            .Doc<GetAccused>("The accused as named", "The accused as the report names them, for repeat-accused matching (docs/MATCHING.md).");
        meldpunt.MapPut("/{id:guid}/accused", async (Guid id, SetAccused body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { ReportId = id }, ct), v => TypedResults.Ok(v)))
            .Doc<SetAccused>("Add or correct the accused", "Who the accused is; compared with other reports by keyed hashes only (docs/MATCHING.md).");
        meldpunt.MapGet("/{id:guid}/matches", async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new ListMatchesForReport(id), ct), v => TypedResults.Ok(v)))
            .Doc<ListMatchesForReport>("A report's matches", "Other reports that name the same accused (docs/MATCHING.md).");
        var matches = api.MapGroup("/meldpunt/matches").WithTags("Meldpunt (handler)").RequireAuthorization(Policies.MeldpuntHandler);
        matches.MapGet("/", async (bool? includeClosed, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new ListMatches(includeClosed ?? false), ct), v => TypedResults.Ok(v)))
            .Doc<ListMatches>("Open matches", "Pairs of independent reports that name the same accused (`includeClosed=true` for closed ones too).");
        matches.MapGet("/{a:guid}/{b:guid}", async (Guid a, Guid b, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetMatch(a, b), ct), v => TypedResults.Ok(v)))
            .Doc<GetMatch>("Two matching reports side by side", "404 unless the two reports match.");

        // The incident register (bill 36 777; po, vo, so): a school's board and the staff members it authorised register safety
        // incidents; serious or recurring ones are reported to the Inspectorate (docs/INCIDENTS.md). Each route has a name and a summary.
        var incidents = api.MapGroup("/incidents").WithTags("Incident register").RequireAuthorization(Policies.IncidentRegister);
        incidents.MapPost("/", Send<RegisterIncident, IncidentRef>(r => TypedResults.Created($"/api/incidents/{r.Id}", r)))
            .Doc<RegisterIncident>("Register a safety incident", "Records a safety incident in the school's register (bill 36 777, Wet vrij en veilig onderwijs; po, vo and so): category, date, type of place, who was harmed, what was done, serious or not. No names; a pupil number only as a keyed hash. A serious or recurring incident opens the duty to report it to the Inspectorate.", StatusCodes.Status201Created);
        incidents.MapGet("/", Query<ListIncidents, IReadOnlyList<IncidentListItem>>(() => new ListIncidents()))
            .Doc<ListIncidents>("List the incident register", "The school's incident register, newest first, in codes.");
        incidents.MapGet("/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(new GetIncident(id), ct), v => TypedResults.Ok(v)))
            .Doc<GetIncident>("Get an incident", "One incident of the school, with what was done; the read is audited.");
        incidents.MapPost("/{id:guid}/report", async (Guid id, ReportIncident body, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(body with { IncidentId = id }, ct), v => TypedResults.Ok(v)))
            .RequireAuthorization(Policies.Board)
            .Doc<ReportIncident>("Report an incident to the Inspectorate", "Records the report of a serious or recurring incident to the Inspectorate (bill 36 777), which meets the report duty (docs/INCIDENTS.md).");
        incidents.MapPost("/{id:guid}/legal-hold", async (Guid id, SetIncidentLegalHold body, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(body with { IncidentId = id }, ct), v => TypedResults.Ok(v)))
            .RequireAuthorization(Policies.Board)
            .Conflicts().Doc<SetIncidentLegalHold>("Place or lift a legal hold on an incident", "The board's step, as on a case: keeps the incident from erasure at the end of the register's retention period (docs/RETENTION.md). An erased incident takes no hold (409).");
        incidents.MapGet("/duties", Query<ListIncidentReportDuties, IReadOnlyList<IncidentDutyView>>(() => new ListIncidentReportDuties()))
            .RequireAuthorization(Policies.Board)
            .Doc<ListIncidentReportDuties>("List open incident report duties", "The board's open duties to report an incident to the Inspectorate.");
        // Who may keep the register: a path of its own (under /incidents/ it would read like an incident's id).
        var registrars = api.MapGroup("/incident-registrars").WithTags("Incident register").RequireAuthorization(Policies.IncidentRegister);
        registrars.MapGet("/", Query<ListIncidentRegistrars, IReadOnlyList<IncidentRegistrarView>>(() => new ListIncidentRegistrars()))
            .RequireAuthorization(Policies.Board)
            .Doc<ListIncidentRegistrars>("List incident registrars", "The board's staff members and whether each may keep the register.");
        registrars.MapPut("/{userId}", async (string userId, SetIncidentRegistrar body, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(body with { UserId = userId }, ct), v => TypedResults.Ok(v)))
            .RequireAuthorization(Policies.Board)
            .Doc<SetIncidentRegistrar>("Authorise an incident registrar", "Authorises a staff member to keep the incident register, or withdraws it.");
        // The Inspectorate's intake (role Inspectie, not the vertrouwensinspecteur): reports received from the schools.
        api.MapGet("/inspectie/incident-reports", Query<ListIncidentReports, IReadOnlyList<IncidentReportView>>(() => new ListIncidentReports()))
            .RequireAuthorization(Policies.Inspectie).WithTags("Incident register")
            .Doc<ListIncidentReports>("List incident reports received", "The Inspectorate's intake (role Inspectie, not the vertrouwensinspecteur): reports of serious or recurring safety incidents received from the schools it supervises.");

        // Administration: institutions, users, the rules in force. Never case content.
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(Policies.Administrator);
        admin.MapGet("/institutions", Query<ListInstitutions, IReadOnlyList<InstitutionView>>(() => new ListInstitutions()))
            .Doc<ListInstitutions>("Institutions", "Every institution with its sector and contact address.");
        admin.MapPost("/institutions", Send<CreateInstitution, InstitutionView>(r => TypedResults.Created((string?)null, r)))
            .Doc<CreateInstitution>("Create an institution", "An institution with its sector (which law applies) and the board's contact address for reminders.", StatusCodes.Status201Created);
        admin.MapPut("/institutions/{id:guid}", async (Guid id, UpdateInstitutionContact body, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(body with { InstitutionId = id }, ct), v => TypedResults.Ok(v)))
            .Doc<UpdateInstitutionContact>("Change an institution's contact address", "Where the board's reminders and escalations go.");
        admin.MapGet("/users", Query<ListUsers, IReadOnlyList<UserView>>(() => new ListUsers()))
            .Doc<ListUsers>("Accounts", "Every account with its role, institution and state.");
        admin.MapPost("/users", Send<CreateUser, UserView>(r => TypedResults.Created((string?)null, r)))
            .Doc<CreateUser>("Create an account", "There is no self-registration: the administrator creates every account, bound to an institution for boards and staff.", StatusCodes.Status201Created);
        // An account's state: disabled (no sign-in, sessions end), a lockout cleared, two-factor to enrol again.
        AccountStep(admin, "/users/{id:guid}/disable", id => new SetAccountDisabled(id, true))
            .Doc<SetAccountDisabled>("Disable an account", "The account cannot sign in, and its sessions end within a minute. Not one's own (403).", operationId: "DisableAccount");
        AccountStep(admin, "/users/{id:guid}/enable", id => new SetAccountDisabled(id, false))
            .Doc<SetAccountDisabled>("Enable an account", "A disabled account may sign in again.", operationId: "EnableAccount");
        AccountStep(admin, "/users/{id:guid}/unlock", id => new UnlockAccount(id))
            .Doc<UnlockAccount>("Unlock an account", "Clears a lockout after repeated failed sign-ins.");
        AccountStep(admin, "/users/{id:guid}/reset-two-factor", id => new ResetTwoFactor(id))
            .Doc<ResetTwoFactor>("Reset two-factor", "The account must enrol in two-factor again (a lost phone); its sessions end within a minute.");
        admin.MapPost("/users/{id:guid}/unlink-identity", async (Guid id, UnlinkFederatedIdentity body, IMediator m, CancellationToken ct) =>
                ErrorMapper.ToHttp(await m.Send(body with { UserId = id }, ct), v => TypedResults.Ok(v)))
            .Doc<UnlinkFederatedIdentity>("Unlink a federated identity", "Removes the identity a provider's first sign-in linked to the account (`provider`: its configured name, as in the account's `linkedProviders`); it then signs in to nothing, and sessions opened with it end within a minute (docs/SIGN-IN.md). 404 when the account has no identity of that provider.");
        admin.MapGet("/rules", Query<GetRules, RulesView>(() => new GetRules()))
            .Doc<GetRules>("The rules in force", "The regimes, the duty matrix with reasons and articles, the duties with their deadlines, the holidays.");
        admin.MapGet("/settings", Query<GetSettings, SettingsView>(() => new GetSettings()))
            .Doc<GetSettings>("Settings", "The rules' settings as changed at run time over the configuration file.");
        admin.MapPut("/settings", Send<UpdateSettings, SettingsView>(r => TypedResults.Ok(r)))
            .Doc<UpdateSettings>("Change settings", "Any of `extendedRegimeEffectiveFrom`, `extraHolidays`, `deadlinePolicy`; other instances pick the change up within 30 s. Open duties keep their due time.");
        // Encryption at rest: rotation status and re-wrapping (docs/ENCRYPTION.md); anonymous counts (docs/RETENTION.md).
        admin.MapGet("/keys", Query<GetKeyStatus, KeyStatusView>(() => new GetKeyStatus()))
            .Doc<GetKeyStatus>("Key rotation status", "How many data keys are wrapped by each key-encryption key (docs/ENCRYPTION.md).");
        admin.MapPost("/keys/rewrap", async (IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new RewrapDataKeys(), ct), v => TypedResults.Ok(v)))
            .Doc<RewrapDataKeys>("Re-wrap data keys", "Re-wraps data keys under the active key-encryption key after a rotation (docs/ENCRYPTION.md).");
        admin.MapPost("/keys/receipt-signing/rotate", async (IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new RotateReceiptSigningKey(), ct), v => TypedResults.Ok(v)))
            .Doc<RotateReceiptSigningKey>("Rotate the proof-signing key", "A new Ed25519 key signs proofs of filing from now on; the old ones stay published, so every proof they signed still verifies (docs/RECEIPTS.md).");
        // The matching key's rotation: status, and re-hashing from the sealed plaintext (docs/MATCHING.md).
        admin.MapGet("/matching-keys", Query<GetMatchingKeyStatus, MatchingKeyStatusView>(() => new GetMatchingKeyStatus()))
            .Doc<GetMatchingKeyStatus>("Matching key rotation status", "How many identifiers are hashed under each matching key (docs/MATCHING.md).");
        admin.MapPost("/matching-keys/rehash", async (IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new RehashAccusedIdentifiers(), ct), v => TypedResults.Ok(v)))
            .Doc<RehashAccusedIdentifiers>("Re-hash the accused's identifiers", "Re-hashes under the active matching key from the sealed plaintext (docs/MATCHING.md).");
        admin.MapGet("/statistics", Query<GetStatistics, StatisticsView>(() => new GetStatistics()))
            .Doc<GetStatistics>("Anonymous counts", "Counts that remain after erasure (docs/RETENTION.md); no case content.");
        // Mail the outbox gave up on (docs/RELIABILITY.md): seen, not silently dropped.
        admin.MapGet("/mail/undelivered", Query<ListUndeliveredMail, IReadOnlyList<UndeliveredMailView>>(() => new ListUndeliveredMail()))
            .Doc<ListUndeliveredMail>("Mail that could not be delivered", "Outbox mail refused for good or given up after its last attempt (docs/RELIABILITY.md): numbers and kinds only, never content.");

        // Monitoring figures with small-cell suppression (docs/STATISTICS.md): the administrator every institution, a board
        // its own beside its sector. The CSV carries the same published figures as the JSON.
        var figures = api.MapGroup("/figures").WithTags("Figures").RequireAuthorization(Policies.Figures);
        figures.MapGet("/", Query<GetMonitoringFigures, MonitoringFigures>(() => new GetMonitoringFigures()))
            .Doc<GetMonitoringFigures>("Monitoring figures", "The figures with small-cell suppression (docs/STATISTICS.md): the administrator every institution, a board its own beside its sector.");
        figures.MapGet("/export.csv", async (IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(new GetMonitoringFigures(), ct), v => TypedResults.Text(FiguresCsv.Write(v), FiguresCsv.ContentType)))
            .Doc("ExportMonitoringFigures", "Monitoring figures as CSV", "The same published figures as `GetMonitoringFigures`, as CSV.")
            .Produces<string>(StatusCodes.Status200OK, FiguresCsv.ContentType);
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
    private static RouteHandlerBuilder AccountStep<TCommand>(RouteGroupBuilder group, string pattern, Func<Guid, TCommand> make)
        where TCommand : ICommand<Result<UserView>> =>
        group.MapPost(pattern, async (Guid id, IMediator m, CancellationToken ct) =>
            ErrorMapper.ToHttp(await m.Send(make(id), ct), v => TypedResults.Ok(v)));

    /// <summary>A step on an existing case: the body is the command; the route gives the case, If-Match its version.</summary>
    private static RouteHandlerBuilder Step<TCommand>(RouteGroupBuilder group, string pattern, string policy, Func<TCommand, Guid, uint?, TCommand> bind)
        where TCommand : ICommand<Result<CaseRef>> =>
        group.MapPost(pattern, async (Guid id, TCommand body, [FromHeader(Name = "If-Match")] string? ifMatch,
                IMediator m, HttpResponse res, CancellationToken ct) =>
            {
                var version = ETag.Parse(ifMatch);
                if (!version.IsSuccess) return ErrorMapper.ToHttp(version.Error!);
                return ErrorMapper.ToHttp(await m.Send(bind(body, id, version.Value), ct), c => WithETag(res, c, c.Version));
            })
            .RequireAuthorization(policy).Conflicts().Versioned();
}
