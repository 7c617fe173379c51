using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.OpenApi;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The handler writes a new version of an oral report's account (the reporter called back with a correction, say),
/// until the reporter approves it. The earlier versions stay; the reporter approves the newest (directive 2019/1937 art. 18).
/// </summary>
public sealed record ReviseOralAccount([property: FromRouteOrHeader] Guid ReportId, string? Text) : ICommand<Result<ReportRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("text", Text, TextLimits.Message);
}

public sealed class ReviseOralAccountHandler(CaseHandlingDbContext db, UnitOfWork work, CurrentUserAccessor current, TimeProvider time)
    : ICommandHandler<ReviseOralAccount, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(ReviseOralAccount cmd, CancellationToken ct)
    {
        var r = await work.LoadAsync(db.Reports.Include(x => x.AccountVersions).Where(x => x.Id == cmd.ReportId), cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        var revised = r.ReviseAccount(MessageAuthor.Handler, current.Get().UserId, cmd.Text!.Trim(), time.GetUtcNow());
        if (!revised.IsSuccess) return revised.Error!;
        work.Audit(r.Id, "change:AccountRevised", current.Get());
        return await work.CommitAsync("The report", () => ReportRef.Of(r), ct);
    }
}
