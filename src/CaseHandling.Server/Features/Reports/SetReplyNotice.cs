using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The reporter leaves an e-mail address for the notice of a reply (docs/MELDPUNT.md), or changes it: sealed with the
/// report's data key, never shown to a handler, used only for the one fixed notice that a new message waits.
/// </summary>
public sealed record SetReplyNotice(string? ReceiptCode, string? Email) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64).Concat(Check.Email("email", Email));
}

public sealed class SetReplyNoticeHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time) : ICommandHandler<SetReplyNotice, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(SetReplyNotice cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var set = found.Value!.SetNoticeEmail(cmd.Email!.Trim(), time.GetUtcNow());
        if (!set.IsSuccess) return set.Error!;
        work.Audit(found.Value!.Id, "change:NoticeEmailSet", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
