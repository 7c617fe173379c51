using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The reporter comes back with the receipt code: status in plain language and the handler's messages.</summary>
public sealed record GetReportStatus(string? ReceiptCode) : IQuery<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("receiptCode", ReceiptCode, 64);
}

public sealed class GetReportStatusHandler(CaseHandlingDbContext db, AuditTrail audit) : IQueryHandler<GetReportStatus, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(GetReportStatus q, CancellationToken ct)
    {
        var found = await ReportByCode.Find(db, q.ReceiptCode, track: false, ct);
        if (!found.IsSuccess) return found.Error!;
        await audit.RecordAsync(found.Value!.Id, "read", ReportByCode.Reporter, ReportByCode.ReporterRole, ct);
        return ReportStatusView.Of(found.Value!);
    }
}
