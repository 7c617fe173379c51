using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// A handler writes down a report told by phone or in a meeting (EU directive 2019/1937 art. 9 lid 2, art. 18 lid 2–4):
/// the facts the duty matrix reads, what was said, how it came in and when. The report counts as received at the call.
/// The handler passes the receipt code on orally; with it the reporter reads the account, corrects and approves it.
/// </summary>
public sealed record RecordOralReport(ReportChannel? Channel, DateTimeOffset? ReceivedAt, bool RecordingExists, SubmitReport? Report)
    : ICommand<Result<OralReportReceipt>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("channel", Channel)
            .Concat(Channel == ReportChannel.Online ? [("channel", "Phone or Meeting: an online report is filed by the reporter.")] : [])
            .Concat(Check.Required("receivedAt", ReceivedAt))
            .Concat(Report is null ? [("report", "Required.")] : Report.Validate().Select(e => ("report." + e.Field, e.Message)));
}

/// <summary>The code to read out to the reporter, once: only its hash is kept.</summary>
public sealed record OralReportReceipt(Guid Id, string Number, string ReceiptCode, DateTimeOffset ReceivedAt, bool ForwardedToBoard);

public sealed class RecordOralReportHandler(ReportIntake intake, CaseHandlingDbContext db, CurrentUserAccessor current, TimeProvider time)
    : ICommandHandler<RecordOralReport, Result<OralReportReceipt>>
{

    public async ValueTask<Result<OralReportReceipt>> Handle(RecordOralReport cmd, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var at = cmd.ReceivedAt!.Value;
        if (at > now.AddMinutes(1)) return ValidationFailed.Single("receivedAt", "Must not be in the future.");
        if (at < now - Report.OralRecordingWindow) return ValidationFailed.Single("receivedAt", Report.OralRecordedTooLate);
        var handler = current.Get();
        var filed = await intake.FileAsync(cmd.Report!,
            (input, hash, id) => Report.RecordOral(input, cmd.Channel!.Value, at, cmd.RecordingExists, handler.UserId, hash, intake.Rules, now, id),
            handler.UserId, Roles.NameOf(handler.Role), ct);
        // The report's fields are nested in this command: their names say so.
        if (!filed.IsSuccess)
            return filed.Error is ValidationFailed v ? new ValidationFailed(v.Fields.ToDictionary(f => "report." + f.Key, f => f.Value)) : filed.Error!;
        var (code, report) = filed.Value;
        var saved = await intake.CommitAsync(() => report.Status == ReportStatus.Forwarded, ct);
        if (!saved.IsSuccess) return saved.Error!;
        // The number is the database's (a sequence default), which the intake's insert batch does not read back.
        var number = await db.Reports.AsNoTracking().Where(r => r.Id == report.Id).Select(r => r.Number).FirstAsync(ct);
        return new OralReportReceipt(report.Id, number, code, at, saved.Value);
    }
}
