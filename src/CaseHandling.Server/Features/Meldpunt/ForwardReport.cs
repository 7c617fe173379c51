using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The handler forwards a report to the institution's board, with the reporter's consent and only what they
/// chose: this opens the board's case, and the duties of the matrix run from now. The handler may correct
/// the facts the matrix reads (victim, age, accused); what the report says is the default.
/// </summary>
/// <remarks>With <see cref="JoinCaseNumber"/> (a number the board gave), the report joins that case of the same institution instead.</remarks>
public sealed record ForwardReport([property: FromRouteOrHeader] Guid ReportId, VictimKind? VictimKind, VictimAge? VictimAge, bool? Afhankelijkheidsrelatie, AccusedRole? AccusedRole,
    string? JoinCaseNumber = null)
    : ICommand<Result<ForwardedRef>>;

public sealed record ForwardedRef(Guid ReportId, ReportStatus Status, Guid CaseId, string CaseNumber, ForwardItems ForwardedItems);

public sealed class ForwardReportHandler(CaseHandlingDbContext db, UnitOfWork work, CurrentUserAccessor current, DutyRules rules, TimeProvider time)
    : ICommandHandler<ForwardReport, Result<ForwardedRef>>
{
    public async ValueTask<Result<ForwardedRef>> Handle(ForwardReport cmd, CancellationToken ct)
    {
        var r = await work.LoadAsync(db.Reports.Include(x => x.Messages).AsSplitQuery().Where(x => x.Id == cmd.ReportId), cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        if (r.Status is ReportStatus.Forwarded or ReportStatus.Closed)
            return new StepNotAllowed(r.Status.ToString(), "Forward", r.Status == ReportStatus.Forwarded ? ["ReporterMessage", "HandlerMessage", "Close"] : []);
        if (r.ConsentItems == ForwardItems.None && !r.StatutoryForwarding)
            return new Forbidden("The reporter has not consented to forwarding, and no duty to forward applies.");

        if (!string.IsNullOrWhiteSpace(cmd.JoinCaseNumber))
        {
            var number = cmd.JoinCaseNumber.Trim();
            var existingId = await db.Cases.AsNoTracking().Where(c => c.Number == number && c.InstitutionId == r.InstitutionId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
            var existing = existingId is { } caseId ? await work.LoadAsync(db.Cases.Include(c => c.Events).Where(c => c.Id == caseId), caseId, ct) : null;
            if (existing is null) return ValidationFailed.Single("joinCaseNumber", "No case with this number at the report's institution.");
            // A closed case's retention period is running (and may have ended): new information opens a case of its own.
            if (existing.State == CaseState.Closed) return ValidationFailed.Single("joinCaseNumber", "That case is closed; forward without a case number to open a new one.");
            Forwarding.JoinBoardCase(r, existing, current.Get().Actor, time.GetUtcNow());
            // Both subjects changed: both audit trails, one transaction.
            work.Audit(r.Id, "change:Forward", current.Get());
            work.Audit(existing.Id, "change:MeldpuntReportJoined", current.Get());
            return await work.CommitAsync("The report", () => new ForwardedRef(r.Id, r.Status, existing.Id, existing.Number, r.ForwardedItems), ct);
        }

        var institution = await db.Institutions.FirstAsync(i => i.Id == r.InstitutionId, ct);
        var d = Forwarding.DefaultFacts(r);
        var facts = new ForwardFacts(cmd.VictimKind ?? d.VictimKind, cmd.VictimAge ?? d.VictimAge, cmd.Afhankelijkheidsrelatie ?? d.Afhankelijkheidsrelatie,
            cmd.AccusedRole ?? d.AccusedRole);
        var opened = Forwarding.OpenBoardCase(r, institution, facts, current.Get().Actor, rules, time.GetUtcNow());
        work.Add(opened);
        work.Audit(opened.Id, "change:Opened", current.Get());
        work.Audit(r.Id, "change:Forward", current.Get());
        return await work.CommitAsync("The report", () => new ForwardedRef(r.Id, r.Status, opened.Id, opened.Number, r.ForwardedItems), ct);
    }
}
