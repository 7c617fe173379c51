using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>The handler writes to the reporter: the acknowledgement (7-day service level), a message or question, or the feedback (3-month service level).</summary>
public sealed record SendHandlerMessage(Guid ReportId, HandlerMessageKind? Kind, string? Text) : ICommand<Result<ReportRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("kind", Kind).Concat(Check.RequiredText("text", Text, Reports.SubmitReport.MaxText));
}

public sealed record ReportRef(Guid Id, string Number, ReportStatus Status);

public sealed class SendHandlerMessageHandler(CaseHandlingDbContext db, CurrentUserAccessor current, AuditTrail audit, DutyRules rules, TimeProvider time)
    : ICommandHandler<SendHandlerMessage, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(SendHandlerMessage cmd, CancellationToken ct)
    {
        var r = await db.Reports.Include(x => x.Messages).Include(x => x.Duties).AsSplitQuery().FirstOrDefaultAsync(x => x.Id == cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        var sent = r.AddHandlerMessage(cmd.Kind!.Value, cmd.Text!.Trim(), current.Get().UserId, rules, time.GetUtcNow());
        if (!sent.IsSuccess) return sent.Error!;
        return await ReportSave.Save(db, audit, current.Get(), r, $"change:{cmd.Kind}", ct);
    }
}

public static class ReportSave
{
    /// <summary>Saves the change to a report and its audit entry in one transaction.</summary>
    public static async Task<Result<ReportRef>> Save(CaseHandlingDbContext db, AuditTrail audit, CurrentUser user, Report r, string action, CancellationToken ct)
    {
        var saved = await Saving.SaveAuditedAsync(db, audit, r.Id, user, action, "The report", ct);
        return saved.IsSuccess ? new ReportRef(r.Id, r.Number, r.Status) : saved.Error!;
    }
}
