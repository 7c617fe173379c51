using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The reporter consents to forwarding to the institution's board and chooses what is forwarded.</summary>
public sealed record GiveConsent(string? ReceiptCode, IReadOnlyList<ForwardItems>? Items) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64)
            .Concat(Items is null || Items.Count == 0 || Items.All(i => i == ForwardItems.None) ? [("items", "Choose what may be forwarded.")] : []);
}

public sealed class GiveConsentHandler(CaseHandlingDbContext db, AuditTrail audit, TimeProvider time) : ICommandHandler<GiveConsent, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(GiveConsent cmd, CancellationToken ct)
    {
        var found = await ReportByCode.Find(db, cmd.ReceiptCode, track: true, ct);
        if (!found.IsSuccess) return found.Error!;
        var items = cmd.Items!.Aggregate(ForwardItems.None, (a, b) => a | b);
        var given = found.Value!.GiveConsent(items, time.GetUtcNow());
        if (!given.IsSuccess) return given.Error!;
        await ReportByCode.SaveAuditedAsync(db, audit, found.Value!, "change:GiveConsent", ct);
        return ReportStatusView.Of(found.Value!);
    }
}

/// <summary>The reporter withdraws consent for what has not been forwarded yet.</summary>
public sealed record WithdrawConsent(string? ReceiptCode) : ICommand<Result<ReportStatusView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("receiptCode", ReceiptCode, 64);
}

public sealed class WithdrawConsentHandler(CaseHandlingDbContext db, AuditTrail audit, TimeProvider time) : ICommandHandler<WithdrawConsent, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(WithdrawConsent cmd, CancellationToken ct)
    {
        var found = await ReportByCode.Find(db, cmd.ReceiptCode, track: true, ct);
        if (!found.IsSuccess) return found.Error!;
        var withdrawn = found.Value!.WithdrawConsent(time.GetUtcNow());
        if (!withdrawn.IsSuccess) return withdrawn.Error!;
        await ReportByCode.SaveAuditedAsync(db, audit, found.Value!, "change:WithdrawConsent", ct);
        return ReportStatusView.Of(found.Value!);
    }
}
