using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The reporter withdraws a file before anyone at the meldpunt opened it (docs/EVIDENCE.md): for one whose metadata
/// could not be removed, or one sent by mistake. It is no longer shown to anyone; after a first opening it stays.
/// </summary>
public sealed record WithdrawReportFile(string? ReceiptCode, int? Number) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64).Concat(Check.Required("number", Number));
}

public sealed class WithdrawReportFileHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time)
    : ICommandHandler<WithdrawReportFile, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(WithdrawReportFile cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var withdrawn = found.Value!.WithdrawFile(cmd.Number!.Value, time.GetUtcNow());
        if (!withdrawn.IsSuccess) return withdrawn.Error!;
        work.Audit(found.Value!.Id, $"change:FileWithdrawn:{cmd.Number}", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
