using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>
/// The board reports a serious or recurring safety incident to the Inspectorate (bill 36 777) and records the day; the duty is
/// met. The report holds the minimum: the school, the sector, the category, the day, the type of place, who was harmed and why
/// it is reported; never what was done, the pupil number or a name. With Rules:IncidentReportDelivery = MailToIntake a mail
/// goes to the Inspectorate's intake through the outbox (it names only the number; the report is read in the Inspectie's
/// portal), otherwise the report is only recorded as made.
/// </summary>
public sealed record ReportIncident(Guid IncidentId, DateOnly? ReportedOn) : ICommand<Result<IncidentRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.Required("reportedOn", ReportedOn);
}

public sealed class ReportIncidentHandler(IncidentAccess access, UnitOfWork work, DutyRules rules, IOptions<NotificationOptions> notifications, TimeProvider time,
    Infrastructure.Configuration.RulesProvider settings)
    : ICommandHandler<ReportIncident, Result<IncidentRef>>
{
    public async ValueTask<Result<IncidentRef>> Handle(ReportIncident cmd, CancellationToken ct)
    {
        var keeper = await access.RegisterKeeperAsync(ct);
        if (!keeper.IsSuccess) return keeper.Error!;
        var (user, institution) = keeper.Value;
        // Reporting to the Inspectorate is the board's act (bevoegd gezag), not an authorised staff member's.
        if (user.Role != StaffRole.Board) return new Forbidden("Reporting to the Inspectorate is the board's step.");
        var now = time.GetUtcNow();
        if (cmd.ReportedOn > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1))
            return ValidationFailed.Single("reportedOn", "Must not be in the future.");
        var incident = await work.LoadAsync(access.Own(institution.Id).Include(i => i.Duties).Where(i => i.Id == cmd.IncidentId), cmd.IncidentId, ct);
        if (incident is null) return new NotFound("The incident");
        var recorded = incident.RecordReport(cmd.ReportedOn!.Value, rules.IncidentReportDelivery, now);
        if (!recorded.IsSuccess) return recorded.Error!;
        work.Audit(incident.Id, "change:IncidentReported", user);
        if (rules.IncidentReportDelivery == ReportDelivery.MailToIntake)
        {
            var link = notifications.Value.PublicBaseUrl.TrimEnd('/') + "/portaal/inspectie/meldingen";
            work.Add(new OutboxMessage
            {
                Id = Guid.CreateVersion7(now),
                CreatedAt = now,
                NextAttemptAt = now,
                ToAddress = settings.InspectieIntakeEmail(notifications.Value),
                Subject = $"CaseHandling: melding veiligheidsincident {incident.Number} / safety incident report {incident.Number}",
                Body = $"""
                    Een school heeft een ernstig of regelmatig veiligheidsincident gemeld: {incident.Number}.
                    Bekijk de melding: {link}

                    A school reported a serious or recurring safety incident: {incident.Number}.
                    Read the report: {link}
                    """,
                Kind = "IncidentReport",
                Reference = incident.Number,
            });
        }
        return await work.CommitAsync("The incident", () => new IncidentRef(incident.Id, incident.Number, false, incident.LinkedCaseId, null), ct);
    }
}
