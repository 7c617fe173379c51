using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>The meldpunt places or lifts a legal hold on a report: while it holds, the retention job leaves the report as it is.</summary>
public sealed record SetReportLegalHold(Guid ReportId, bool? Hold) : ICommand<Result<ReportRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.Required("hold", Hold);
}

public sealed class SetReportLegalHoldHandler(CaseHandlingDbContext db, CurrentUserAccessor current, AuditTrail audit)
    : ICommandHandler<SetReportLegalHold, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(SetReportLegalHold cmd, CancellationToken ct)
    {
        var r = await db.Reports.FirstOrDefaultAsync(x => x.Id == cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        var held = r.SetLegalHold(cmd.Hold!.Value);
        return held.IsSuccess
            ? await ReportSave.Save(db, audit, current.Get(), r, cmd.Hold.Value ? "change:LegalHoldPlaced" : "change:LegalHoldLifted", ct)
            : held.Error!;
    }
}
