using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Chain;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Incidents;

/// <summary>One incident: the facts in codes, what was done, the rules' decision and why, and the report to the Inspectorate.</summary>
[Authorize(Policy = Policies.IncidentRegister)]
public sealed class IncidentPageModel(IMediator mediator) : ChainPage
{
    public const string ReportForm = "report";

    [FromRoute] public Guid Id { get; set; }
    public IncidentView Incident { get; private set; } = null!;
    public string? Saved { get; private set; }
    [BindProperty(Name = "reportedOn")] public string? ReportedOn { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Saved = TempData[NewModel.SavedKey] as string;
        return await Load(ct) ?? Page();
    }

    public async Task<IActionResult> OnPostReportAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new ReportIncident(Id, ParseDate(ReportedOn)), ct);
        if (result.IsSuccess)
        {
            TempData[NewModel.SavedKey] = "reported";
            return Redirect($"/portaal/incidenten/{Id}");
        }
        if (!ShowError(result.Error!, ReportForm)) return NotFound();
        if (result.Error is StepNotAllowed) StepProblem = T["incident.report.notnow"];
        return await Load(ct) ?? Page();
    }

    private async Task<IActionResult?> Load(CancellationToken ct)
    {
        var result = await mediator.Send(new GetIncident(Id), ct);
        if (result.Error is Forbidden) return Redirect(PortalPaths.AccessDenied);
        if (!result.IsSuccess) return NotFound();
        Incident = result.Value!;
        ReportedOn ??= TodayInput();
        return null;
    }
}
