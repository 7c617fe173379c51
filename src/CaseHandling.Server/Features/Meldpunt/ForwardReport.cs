using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The handler forwards a report to the institution's board, with the reporter's consent and only what they
/// chose: this opens the board's case, and the duties of the matrix run from now. The handler may correct
/// the facts the matrix reads (victim, age, accused); what the report says is the default.
/// </summary>
/// <remarks>With <see cref="JoinCaseNumber"/> (a number the board gave), the report joins that case of the same institution instead.</remarks>
public sealed record ForwardReport(Guid ReportId, VictimKind? VictimKind, VictimAge? VictimAge, bool? Afhankelijkheidsrelatie, AccusedRole? AccusedRole,
    string? JoinCaseNumber = null)
    : ICommand<Result<ForwardedRef>>;

public sealed record ForwardedRef(Guid ReportId, ReportStatus Status, Guid CaseId, string CaseNumber, ForwardItems ForwardedItems);

public sealed class ForwardReportHandler(CaseHandlingDbContext db, CurrentUserAccessor current, AuditTrail audit, DutyRules rules, TimeProvider time)
    : ICommandHandler<ForwardReport, Result<ForwardedRef>>
{
    public async ValueTask<Result<ForwardedRef>> Handle(ForwardReport cmd, CancellationToken ct)
    {
        var r = await db.Reports.Include(x => x.Messages).AsSplitQuery().FirstOrDefaultAsync(x => x.Id == cmd.ReportId, ct);
        if (r is null) return new NotFound("Report");
        if (r.Status is ReportStatus.Forwarded or ReportStatus.Closed)
            return new StepNotAllowed(r.Status.ToString(), "Forward", r.Status == ReportStatus.Forwarded ? ["ReporterMessage", "HandlerMessage", "Close"] : []);
        if (r.ConsentItems == ForwardItems.None && !r.StatutoryForwarding)
            return new Forbidden("The reporter has not consented to forwarding, and no duty to forward applies.");

        if (!string.IsNullOrWhiteSpace(cmd.JoinCaseNumber))
        {
            var number = cmd.JoinCaseNumber.Trim();
            var existing = await db.Cases.Include(c => c.Events).FirstOrDefaultAsync(c => c.Number == number && c.InstitutionId == r.InstitutionId, ct);
            if (existing is null) return ValidationFailed.Single("joinCaseNumber", "No case with this number at the report's institution.");
            // A closed case's retention period is running (and may have ended): new information opens a case of its own.
            if (existing.State == CaseState.Closed) return ValidationFailed.Single("joinCaseNumber", "That case is closed; forward without a case number to open a new one.");
            Forwarding.JoinBoardCase(r, existing, current.Get().Actor, time.GetUtcNow());
            // Both subjects changed: both audit trails, one transaction.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var joined = await ReportSave.Save(db, audit, current.Get(), r, "change:Forward", ct);
            if (!joined.IsSuccess) return joined.Error!;
            await audit.RecordAsync(existing.Id, "change:MeldpuntReportJoined", current.Get(), ct);
            await tx.CommitAsync(ct);
            return new ForwardedRef(r.Id, r.Status, existing.Id, existing.Number, r.ForwardedItems);
        }

        var institution = await db.Institutions.FirstAsync(i => i.Id == r.InstitutionId, ct);
        var d = Forwarding.DefaultFacts(r);
        var facts = new ForwardFacts(cmd.VictimKind ?? d.VictimKind, cmd.VictimAge ?? d.VictimAge, cmd.Afhankelijkheidsrelatie ?? d.Afhankelijkheidsrelatie,
            cmd.AccusedRole ?? d.AccusedRole);
        var opened = Forwarding.OpenBoardCase(r, institution, facts, current.Get().Actor, rules, time.GetUtcNow());
        db.Cases.Add(opened);
        db.Audit.Add(AuditTrail.First(opened.Id, "change:Opened", current.Get().UserId, Roles.NameOf(current.Get().Role), time.GetUtcNow()));
        var saved = await ReportSave.Save(db, audit, current.Get(), r, "change:Forward", ct);
        if (!saved.IsSuccess) return saved.Error!;
        return new ForwardedRef(r.Id, r.Status, opened.Id, opened.Number, r.ForwardedItems);
    }
}
