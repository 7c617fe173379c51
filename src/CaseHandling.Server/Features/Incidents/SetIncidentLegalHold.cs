using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>
/// The board places or lifts a legal hold on an incident of its register, as it can on a case (docs/RETENTION.md): while it
/// holds, the retention job leaves the incident as it is (AVG art. 17(3)(e)). The board's step, not an authorised staff
/// member's; another school's incident is "not found"; an erased incident takes no hold (409).
/// </summary>
public sealed record SetIncidentLegalHold([property: FromRouteOrHeader] Guid IncidentId, bool? Hold) : ICommand<Result<IncidentRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.Required("hold", Hold);
}

public sealed class SetIncidentLegalHoldHandler(IncidentAccess access, UnitOfWork work)
    : ICommandHandler<SetIncidentLegalHold, Result<IncidentRef>>
{
    public async ValueTask<Result<IncidentRef>> Handle(SetIncidentLegalHold cmd, CancellationToken ct)
    {
        var keeper = await access.RegisterKeeperAsync(ct);
        if (!keeper.IsSuccess) return keeper.Error!;
        var (user, institution) = keeper.Value;
        if (user.Role != StaffRole.Board) return new Forbidden("A legal hold on an incident is the board's to set.");
        var incident = await work.LoadAsync(access.Own(institution.Id).Where(i => i.Id == cmd.IncidentId), cmd.IncidentId, ct);
        if (incident is null) return new NotFound("The incident");
        var held = incident.SetLegalHold(cmd.Hold!.Value);
        if (!held.IsSuccess) return held.Error!;
        work.Audit(incident.Id, cmd.Hold.Value ? "change:LegalHoldPlaced" : "change:LegalHoldLifted", user);
        return await work.CommitAsync("The incident", () => new IncidentRef(incident.Id, incident.Number, false, incident.LinkedCaseId, null), ct);
    }
}
