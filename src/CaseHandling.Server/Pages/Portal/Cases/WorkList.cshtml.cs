using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace CaseHandling.Server.Pages.Portal.Cases;

/// <summary>The board's home page: its open duties, overdue first (they are due earliest), then soonest due.</summary>
[Authorize(Policy = Policies.Board)]
public sealed class WorkListModel(IMediator mediator) : FormPage
{
    public IReadOnlyList<OpenDutyView> Duties { get; private set; } = [];
    /// <summary>The open duties to report a safety incident to the Inspectorate (the incident register).</summary>
    public IReadOnlyList<Features.Incidents.IncidentDutyView> IncidentDuties { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Duties = Loaded(await mediator.Send(new ListOpenDuties(), ct));
        IncidentDuties = Loaded(await mediator.Send(new Features.Incidents.ListIncidentReportDuties(), ct));
    }
}
