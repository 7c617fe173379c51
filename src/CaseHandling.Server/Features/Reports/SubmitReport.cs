using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Matching;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// A student, staff member or anyone else reports to the meld-/steunpunt, anonymously if they wish.
/// Nothing about the request (IP address, user agent) is stored: only what the reporter typed.
/// </summary>
public sealed record SubmitReport(
    ReporterKind? ReporterKind, bool Anonymous, string? ContactName, string? ContactEmail, string? ContactPhone,
    IncidentType? IncidentType, string? WhatHappened, string? WhenHappened, Guid? InstitutionId, string? Department,
    AccusedRole? AccusedRole, VictimWho? VictimWho, VictimAgeAnswer? VictimAge, Destination? Destination,
    // Who the accused is, if the reporter wants to say (all optional; docs/MATCHING.md). The institution defaults to the report's.
    string? AccusedName = null, Guid? AccusedInstitutionId = null, string? AccusedEmail = null, string? AccusedStaffNumber = null,
    // Where to send the notice that a new message waits (optional, anonymous reporters too; sealed, never shown to a handler).
    string? NoticeEmail = null,
    // The language the reporter wrote in (nl, en, ar, tr, pl, uk; Dutch when not given): the handler may answer in it.
    string? Language = null)
    : ICommand<Result<ReportReceipt>>, IValidatable, Infrastructure.Operations.ICountedAsReport
{
    public const int MaxText = TextLimits.Message;

    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("reporterKind", ReporterKind)
            .Concat(Check.Required("incidentType", IncidentType))
            .Concat(Check.RequiredText("whatHappened", WhatHappened, MaxText))
            .Concat(Check.RequiredText("whenHappened", WhenHappened, 200))
            .Concat(Check.Required("institutionId", InstitutionId))
            .Concat(Check.MaxLength("department", Department, 200))
            .Concat(Check.Required("accusedRole", AccusedRole))
            .Concat(Check.Required("victimWho", VictimWho))
            .Concat(Check.Required("victimAge", VictimAge))
            .Concat(Check.Required("destination", Destination))
            .Concat(Check.MaxLength("contactName", ContactName, 200))
            .Concat(Check.MaxLength("contactEmail", ContactEmail, 320))
            .Concat(Check.MaxLength("contactPhone", ContactPhone, 40))
            .Concat(!string.IsNullOrWhiteSpace(ContactEmail) && !ContactEmail.Contains('@') ? [("contactEmail", "Not an e-mail address.")] : [])
            .Concat(!Anonymous && string.IsNullOrWhiteSpace(ContactEmail) && string.IsNullOrWhiteSpace(ContactPhone)
                ? [("contactEmail", "Give an e-mail address or a phone number, or report anonymously.")] : [])
            .Concat(string.IsNullOrWhiteSpace(NoticeEmail) ? [] : Check.Email("noticeEmail", NoticeEmail.Trim()))
            .Concat(Language is null || ReporterLanguage.Parse(Language) is not null ? [] : [("language", "One of: " + string.Join(", ", ReporterLanguage.All) + ".")])
            .Concat(AccusedCheck.Validate(AccusedName, AccusedEmail, AccusedStaffNumber));
}

/// <summary>The receipt code is shown once: only its hash is kept.</summary>
public sealed record ReportReceipt(string ReceiptCode, ReportStatus Status, bool ForwardedToBoard, DateTimeOffset SubmittedAt);

public sealed class SubmitReportHandler(ReportIntake intake, TimeProvider time) : ICommandHandler<SubmitReport, Result<ReportReceipt>>
{
    public async ValueTask<Result<ReportReceipt>> Handle(SubmitReport cmd, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var filed = await intake.FileAsync(cmd, (input, hash, id) => Report.Submit(input, hash, intake.Rules, now, id), Actors.Reporter, Actors.ReporterRole, ct);
        if (!filed.IsSuccess) return filed.Error!;
        var (code, report) = filed.Value;
        return await intake.CommitAsync(() => new ReportReceipt(code, report.Status, report.Status == ReportStatus.Forwarded, now), ct);
    }
}

/// <summary>
/// Takes a report in, however it came: typed by the reporter (<see cref="SubmitReport"/>) or written down by a handler
/// from a call or a meeting (<see cref="RecordOralReport"/>). One receipt code, the accused's keyed hashes, and the staff
/// member's statutory forwarding, the same for both; the caller commits.
/// </summary>
public sealed class ReportIntake(UnitOfWork work, InstitutionDirectory institutions, DataKeys keys, DutyRules rules, MatchingKeys matching, MatchNotice notice,
    TimeProvider time)
{
    public DutyRules Rules => rules;

    public async Task<Result<(string Code, Report Report)>> FileAsync(SubmitReport cmd, Func<ReportInput, byte[], Guid?, Report> make,
        string actor, string actorRole, CancellationToken ct)
    {
        var institution = await institutions.FindAsync(cmd.InstitutionId!.Value, ct);
        if (institution is null) return ValidationFailed.Single("institutionId", "Choose an institution from the list.");

        if (cmd.AccusedInstitutionId is { } accusedAt && await institutions.FindAsync(accusedAt, ct) is null)
            return ValidationFailed.Single("accusedInstitutionId", "Choose an institution from the list.");

        var now = time.GetUtcNow();
        var code = ReceiptCode.New();
        var report = make(new ReportInput(cmd.ReporterKind!.Value, cmd.Anonymous, Trim(cmd.ContactName), Trim(cmd.ContactEmail),
            Trim(cmd.ContactPhone), cmd.IncidentType!.Value, cmd.WhatHappened!.Trim(), cmd.WhenHappened!.Trim(), institution.Id,
            Trim(cmd.Department), cmd.AccusedRole!.Value, cmd.VictimWho!.Value, cmd.VictimAge!.Value, cmd.Destination!.Value, Trim(cmd.NoticeEmail),
            ReporterLanguage.Parse(cmd.Language) ?? ReporterLanguage.Dutch),
            ReceiptCode.Hash(code), keys.Reserved());
        // New rows only (the report with its duty, its audit entry): written as one statement batch (docs/PERFORMANCE.md).
        work.Insert(report);
        work.Audit(report.Id, "change:Submitted", actor, actorRole);
        // The accused as named: plain only inside the sealed content; the keyed hashes are what matching compares.
        var accused = ReportAccused.For(report.Id, new AccusedInput(cmd.AccusedName, cmd.AccusedInstitutionId, cmd.AccusedEmail, cmd.AccusedStaffNumber),
            institution.Id, now);
        if (!accused.IsEmpty)
        {
            work.Insert(accused);
            var identifiers = matching.HashAll(accused, now);
            foreach (var identifier in identifiers) work.Insert(identifier);
            await notice.QueueIfNewMatchAsync(report.Id, report.ReceiptHash, identifiers, ct);
        }

        // WHW art. 1.20 lid 3 (and counterparts): a staff member's report of a possible zedenmisdrijf by a met taken
        // belast persoon is their own notification to the board; it is forwarded now, regardless of consent.
        if (report.StatutoryForwarding)
        {
            var opened = Forwarding.OpenBoardCase(report, institution, Forwarding.DefaultFacts(report), Actors.Meldpunt, rules, now);
            work.Insert(opened);
            work.Audit(opened.Id, "change:Opened", Actors.Meldpunt.UserId, Actors.SystemRole);
        }
        return (code, report);
    }

    public Task<Result<T>> CommitAsync<T>(Func<T> answer, CancellationToken ct) => work.CommitAsync("The report", answer, ct);

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
