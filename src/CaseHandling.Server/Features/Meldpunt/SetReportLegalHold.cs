using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>The meldpunt places or lifts a legal hold on a report: while it holds, the retention job leaves the report as it is.</summary>
public sealed record SetReportLegalHold([property: FromRouteOrHeader] Guid ReportId, bool? Hold) : ICommand<Result<ReportRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.Required("hold", Hold);
}

public sealed class SetReportLegalHoldHandler(CaseHandlingDbContext db, UnitOfWork work, CurrentUserAccessor current)
    : ICommandHandler<SetReportLegalHold, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(SetReportLegalHold cmd, CancellationToken ct)
    {
        var r = await work.LoadAsync(db.Reports.Where(x => x.Id == cmd.ReportId), cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        var held = r.SetLegalHold(cmd.Hold!.Value);
        if (!held.IsSuccess) return held.Error!;
        work.Audit(r.Id, cmd.Hold.Value ? "change:LegalHoldPlaced" : "change:LegalHoldLifted", current.Get());
        return await work.CommitAsync("The report", () => ReportRef.Of(r), ct);
    }
}
