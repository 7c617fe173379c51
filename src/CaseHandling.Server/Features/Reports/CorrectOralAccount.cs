using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The reporter corrects the handler's written account of their oral report, with their code (directive 2019/1937
/// art. 18 lid 2 sub b, lid 4: the opportunity to check, rectify and agree). A new version; the earlier ones are kept.
/// </summary>
public sealed record CorrectOralAccount(string? ReceiptCode, string? Text) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64).Concat(Check.RequiredText("text", Text, SubmitReport.MaxText));
}

public sealed class CorrectOralAccountHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time)
    : ICommandHandler<CorrectOralAccount, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(CorrectOralAccount cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var corrected = found.Value!.ReviseAccount(MessageAuthor.Reporter, null, cmd.Text!.Trim(), time.GetUtcNow());
        if (!corrected.IsSuccess) return corrected.Error!;
        work.Audit(found.Value!.Id, "change:AccountCorrected", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
