using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Features.Shared;
using Mediator;
using Microsoft.EntityFrameworkCore;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>The handler writes to the reporter: the acknowledgement (7-day service level), a message or question, or the feedback (3-month service level).</summary>
public sealed record SendHandlerMessage([property: FromRouteOrHeader] Guid ReportId, HandlerMessageKind? Kind, string? Text) : ICommand<Result<ReportRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("kind", Kind).Concat(Check.RequiredText("text", Text, TextLimits.Message));
}

public sealed class SendHandlerMessageHandler(CaseHandlingDbContext db, UnitOfWork work, CurrentUserAccessor current, DutyRules rules, TimeProvider time,
    Infrastructure.Mail.ReplyNotice notice)
    : ICommandHandler<SendHandlerMessage, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(SendHandlerMessage cmd, CancellationToken ct)
    {
        var r = await work.LoadAsync(db.Reports.Include(x => x.Messages).Include(x => x.Duties).AsSplitQuery().Where(x => x.Id == cmd.ReportId), cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        var sent = r.AddHandlerMessage(cmd.Kind!.Value, cmd.Text!.Trim(), current.Get().UserId, rules, time.GetUtcNow());
        if (!sent.IsSuccess) return sent.Error!;
        work.Audit(r.Id, $"change:{cmd.Kind}", current.Get());
        // The reporter asked to be told that a message waits: one fixed notice, through the outbox in this transaction.
        if (r.WantsNotice) work.Add(notice.For(r.Id));
        return await work.CommitAsync("The report", () => ReportRef.Of(r), ct);
    }
}
