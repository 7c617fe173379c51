using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace CaseHandling.Server.Pages.Portal.Incidents;

/// <summary>The Inspectorate's intake: reports of serious or recurring safety incidents received from the schools, newest first.</summary>
[Authorize(Policy = Policies.Inspectie)]
public sealed class InspectieReportsModel(IMediator mediator) : FormPage
{
    public IReadOnlyList<IncidentReportView> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Reports = Loaded(await mediator.Send(new ListIncidentReports(), ct));
}
