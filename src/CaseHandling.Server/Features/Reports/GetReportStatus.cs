using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Encryption;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The reporter comes back with the receipt code: status in plain language and the handler's messages.</summary>
public sealed record GetReportStatus(string? ReceiptCode) : IQuery<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("receiptCode", ReceiptCode, 64);
}

public sealed class GetReportStatusHandler(CaseHandlingDbContext db, DataKeys keys, AuditTrail audit) : IQueryHandler<GetReportStatus, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(GetReportStatus q, CancellationToken ct)
    {
        var found = await ReportByCode.ForReading(db, keys, q.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        await audit.RecordAsync(found.Value!.Id, "read", Actors.Reporter, Actors.ReporterRole, ct);
        return ReportStatusView.Of(found.Value!);
    }
}
