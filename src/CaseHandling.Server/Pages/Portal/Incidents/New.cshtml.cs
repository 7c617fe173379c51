using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Incidents;

/// <summary>Registering a safety incident: codes, no names; the pupil number only if the school wants recurrence found.</summary>
[Authorize(Policy = Policies.IncidentRegister)]
public sealed class NewModel(IMediator mediator) : FormPage
{
    public const string Form = "incident";
    public const string SavedKey = "incident-saved";

    public sealed class IncidentForm
    {
        public string? Category { get; set; }
        public string? OccurredOn { get; set; }
        public string? Place { get; set; }
        public string? Harmed { get; set; }
        public string? WhatWasDone { get; set; }
        public bool Serious { get; set; }
        public bool SeriousInjury { get; set; }
        public bool Firearm { get; set; }
        public bool InvolvesStaffMember { get; set; }
        public string? PupilNumber { get; set; }
        public string? LinkedCaseNumber { get; set; }
        public bool SexualOffence { get; set; }
        public string? VictimAge { get; set; }
    }

    [BindProperty(Name = "form")] public IncidentForm Input { get; set; } = new();

    public string Id(string field) => FieldId(Form, field);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // The form only for those who may keep the register (a staff member the board has not authorised is told so).
        if ((await mediator.Send(new ListIncidents(1), ct)).Error is Forbidden) return Redirect(PortalPaths.AccessDenied);
        Input.OccurredOn ??= TodayInput();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new RegisterIncident(ParseEnum<IncidentCategory>(Input.Category), ParseDate(Input.OccurredOn), ParseEnum<PlaceType>(Input.Place),
            ParseEnum<HarmedParty>(Input.Harmed), Input.WhatWasDone, Input.Serious, Input.SeriousInjury, Input.Firearm, Input.InvolvesStaffMember,
            Input.PupilNumber, Input.LinkedCaseNumber, Input.SexualOffence, ParseEnum<VictimAge>(Input.VictimAge)), ct);
        if (result.IsSuccess)
        {
            TempData[SavedKey] = "registered";
            return Redirect($"/portaal/incidenten/{result.Value!.Id}");
        }
        if (result.Error is Forbidden) return Redirect(PortalPaths.AccessDenied);
        return ShowError(result.Error!, Form) ? Page() : NotFound();
    }
}
