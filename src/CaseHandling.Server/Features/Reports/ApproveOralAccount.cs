using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The reporter agrees to the written account of their oral report (directive 2019/1937 art. 18 lid 2 sub b, lid 4),
/// naming the version they read: if a newer one was written since, they are told so (409) and read it first.
/// </summary>
public sealed record ApproveOralAccount(string? ReceiptCode, int? Version) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64).Concat(Check.Required("version", Version))
            .Concat(Version is < 1 ? [("version", "At least 1.")] : []);
}

public sealed class ApproveOralAccountHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time)
    : ICommandHandler<ApproveOralAccount, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(ApproveOralAccount cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var approved = found.Value!.ApproveAccount(cmd.Version!.Value, time.GetUtcNow());
        if (!approved.IsSuccess) return approved.Error!;
        work.Audit(found.Value!.Id, $"change:AccountApproved:{cmd.Version}", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
