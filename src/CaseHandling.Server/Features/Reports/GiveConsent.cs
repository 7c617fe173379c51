using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Features.Shared;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The reporter consents to forwarding to the institution's board and chooses what is forwarded.</summary>
public sealed record GiveConsent(string? ReceiptCode, IReadOnlyList<ForwardItems>? Items) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64)
            .Concat(Items is null || Items.Count == 0 || Items.All(i => i == ForwardItems.None) ? [("items", "Choose what may be forwarded.")] : []);
}

public sealed class GiveConsentHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time) : ICommandHandler<GiveConsent, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(GiveConsent cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var items = cmd.Items!.Aggregate(ForwardItems.None, (a, b) => a | b);
        var given = found.Value!.GiveConsent(items, time.GetUtcNow());
        if (!given.IsSuccess) return given.Error!;
        work.Audit(found.Value!.Id, "change:GiveConsent", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}

/// <summary>The reporter withdraws consent for what has not been forwarded yet.</summary>
public sealed record WithdrawConsent(string? ReceiptCode) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("receiptCode", ReceiptCode, 64);
}

public sealed class WithdrawConsentHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time) : ICommandHandler<WithdrawConsent, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(WithdrawConsent cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var withdrawn = found.Value!.WithdrawConsent(time.GetUtcNow());
        if (!withdrawn.IsSuccess) return withdrawn.Error!;
        work.Audit(found.Value!.Id, "change:WithdrawConsent", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
