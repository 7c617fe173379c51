using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Features.Shared;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The reporter answers the handler or adds information, still anonymous.</summary>
public sealed record ReplyToReport(string? ReceiptCode, string? Text) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64).Concat(Check.RequiredText("text", Text, SubmitReport.MaxText));
}

public sealed class ReplyToReportHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time) : ICommandHandler<ReplyToReport, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(ReplyToReport cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var added = found.Value!.AddReporterMessage(cmd.Text!.Trim(), time.GetUtcNow());
        if (!added.IsSuccess) return added.Error!;
        work.Audit(found.Value!.Id, "change:ReporterMessage", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
