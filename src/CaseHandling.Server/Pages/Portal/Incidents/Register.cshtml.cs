using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Incidents;

/// <summary>The school's incident register (bill 36 777): every incident in codes, newest first, with where its report stands.</summary>
[Authorize(Policy = Policies.IncidentRegister)]
public sealed class RegisterModel(IMediator mediator) : FormPage
{
    public IReadOnlyList<IncidentListItem> Incidents { get; private set; } = [];
    public IReadOnlyList<IncidentRegistrarView> Registrars { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new ListIncidents(), ct);
        // A staff member the board has not authorised: this register is not for them.
        if (result.Error is Forbidden) return Redirect(PortalPaths.AccessDenied);
        Incidents = Loaded(result);
        if (Role == Domain.Cases.StaffRole.Board) Registrars = Loaded(await mediator.Send(new ListIncidentRegistrars(), ct));
        return Page();
    }

    /// <summary>The board authorises a staff member for the register, or withdraws it.</summary>
    public async Task<IActionResult> OnPostRegistrarAsync(string userId, bool authorised, CancellationToken ct)
    {
        var result = await mediator.Send(new SetIncidentRegistrar(userId, authorised), ct);
        return result.IsSuccess ? Redirect("/portaal/incidenten") : result.Error is NotFound ? NotFound() : Redirect(PortalPaths.AccessDenied);
    }
}
