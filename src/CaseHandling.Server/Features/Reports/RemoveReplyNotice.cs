using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The reporter removes the address for the notice of a reply, at any time, closed report or not: from now on no notice is
/// sent, also not one for a message already written (delivery reads the address when it sends).
/// </summary>
public sealed record RemoveReplyNotice(string? ReceiptCode) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("receiptCode", ReceiptCode, 64);
}

public sealed class RemoveReplyNoticeHandler(CaseHandlingDbContext db, UnitOfWork work) : ICommandHandler<RemoveReplyNotice, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(RemoveReplyNotice cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        found.Value!.RemoveNoticeEmail();
        work.Audit(found.Value!.Id, "change:NoticeEmailRemoved", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
