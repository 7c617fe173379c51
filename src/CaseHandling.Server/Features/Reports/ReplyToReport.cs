using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The reporter answers the handler or adds information, still anonymous.</summary>
public sealed record ReplyToReport(string? ReceiptCode, string? Text) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64).Concat(Check.RequiredText("text", Text, SubmitReport.MaxText));
}

public sealed class ReplyToReportHandler(CaseHandlingDbContext db, AuditTrail audit, TimeProvider time) : ICommandHandler<ReplyToReport, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(ReplyToReport cmd, CancellationToken ct)
    {
        var found = await ReportByCode.Find(db, cmd.ReceiptCode, track: true, ct);
        if (!found.IsSuccess) return found.Error!;
        var added = found.Value!.AddReporterMessage(cmd.Text!.Trim(), time.GetUtcNow());
        if (!added.IsSuccess) return added.Error!;
        await ReportByCode.SaveAuditedAsync(db, audit, found.Value!, "change:ReporterMessage", ct);
        return ReportStatusView.Of(found.Value!);
    }
}
