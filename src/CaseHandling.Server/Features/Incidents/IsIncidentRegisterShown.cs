using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Incidents;
using Mediator;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>
/// Whether the portal's navigation offers the incident register to the signed-in staff member: only where the duty applies
/// and the staff member may use it. That is: the caller keeps a register (the school's board, or a staff member the board
/// authorised), the school's sector is one the duty covers (po, vo, so; docs/RULES.md), and the duty is configured
/// (Rules:IncidentRegisterEffectiveFrom has a date). Elsewhere the link would lead to a register that has no duty behind it.
/// </summary>
public sealed record IsIncidentRegisterShown : IQuery<bool>;

public sealed class IsIncidentRegisterShownHandler(IncidentAccess access, DutyRules rules) : IQueryHandler<IsIncidentRegisterShown, bool>
{
    public async ValueTask<bool> Handle(IsIncidentRegisterShown q, CancellationToken ct)
    {
        if (rules.IncidentRegisterEffectiveFrom is null) return false;
        var keeper = await access.RegisterKeeperAsync(ct);
        return keeper.IsSuccess && IncidentRules.SectorRuleFor(keeper.Value.Institution.Sector).Applies;
    }
}
