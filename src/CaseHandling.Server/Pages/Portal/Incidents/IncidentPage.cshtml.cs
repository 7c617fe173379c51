using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Incidents;

/// <summary>One incident: the facts in codes, what was done, the rules' decision and why, and the report to the Inspectorate.</summary>
[Authorize(Policy = Policies.IncidentRegister)]
public sealed class IncidentPageModel(IMediator mediator) : FormPage
{
    public const string ReportForm = "report";
    public const string HoldForm = "hold";

    [FromRoute] public Guid Id { get; set; }
    public IncidentView Incident { get; private set; } = null!;
    public string? Saved { get; private set; }
    [BindProperty(Name = "reportedOn")] public string? ReportedOn { get; set; }
    /// <summary>The legal hold form's choice: "true" keep, "false" erase at the end of the period; nothing chosen is a 400.</summary>
    [BindProperty(Name = "hold")] public string? Hold { get; set; }

    /// <summary>Who may place or lift a legal hold: the board (as the API's rule, SetIncidentLegalHold), not an authorised staff member.</summary>
    public bool MayHold => Role == StaffRole.Board;

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

    /// <summary>The board places or lifts the legal hold (AVG art. 17(3)(e)): the same command as POST /api/incidents/{id}/legal-hold.</summary>
    public async Task<IActionResult> OnPostHoldAsync(CancellationToken ct)
    {
        if (!MayHold) return Redirect(PortalPaths.AccessDenied);
        var hold = Hold switch { "true" => true, "false" => false, _ => (bool?)null };
        var result = await mediator.Send(new SetIncidentLegalHold(Id, hold), ct);
        if (result.IsSuccess)
        {
            TempData[NewModel.SavedKey] = hold == true ? "holdPlaced" : "holdLifted";
            return Redirect($"/portaal/incidenten/{Id}");
        }
        if (!ShowError(result.Error!, HoldForm)) return NotFound();
        // A choice of two: say so, rather than the text fields' "fill this in".
        if (ErrorAt(HoldForm, "hold") is not null) Errors[FieldId(HoldForm, "hold")] = T["incident.hold.err"];
        if (result.Error is StepNotAllowed) StepProblem = T["incident.hold.erased"];
        var status = Response.StatusCode;
        var shown = await Load(ct);
        Response.StatusCode = status;
        return shown ?? Page();
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
