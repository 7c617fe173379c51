using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>The handler closes a report (support given, or nothing more to do). The reporter still reads its status.</summary>
public sealed record CloseReport(Guid ReportId) : ICommand<Result<ReportRef>>;

public sealed class CloseReportHandler(CaseHandlingDbContext db, CurrentUserAccessor current, AuditTrail audit, TimeProvider time) : ICommandHandler<CloseReport, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(CloseReport cmd, CancellationToken ct)
    {
        var r = await db.Reports.FirstOrDefaultAsync(x => x.Id == cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        var closed = r.Close(time.GetUtcNow());
        return closed.IsSuccess ? await ReportSave.Save(db, audit, current.Get(), r, "change:Close", ct) : closed.Error!;
    }
}
