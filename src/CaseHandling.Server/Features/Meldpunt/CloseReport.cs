using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The handler closes a report (support given, or nothing more to do). The reporter still reads its status. Its duties are
/// loaded with it: closing stops the reminders of the service levels not yet met (<see cref="Domain.Reports.Report.Close"/>).
/// </summary>
public sealed record CloseReport(Guid ReportId) : ICommand<Result<ReportRef>>;

public sealed class CloseReportHandler(CaseHandlingDbContext db, UnitOfWork work, CurrentUserAccessor current, TimeProvider time) : ICommandHandler<CloseReport, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(CloseReport cmd, CancellationToken ct)
    {
        var r = await work.LoadAsync(db.Reports.Include(x => x.Duties).Where(x => x.Id == cmd.ReportId), cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        var closed = r.Close(time.GetUtcNow());
        if (!closed.IsSuccess) return closed.Error!;
        work.Audit(r.Id, "change:Close", current.Get());
        return await work.CommitAsync("The report", () => ReportRef.Of(r), ct);
    }
}
