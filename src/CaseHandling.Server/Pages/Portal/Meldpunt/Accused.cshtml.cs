using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Meldpunt;

/// <summary>The meldpunt handler adds or corrects who the accused of a report is (docs/MATCHING.md).</summary>
[Authorize(Policy = Policies.MeldpuntHandler)]
public sealed class AccusedModel(IMediator mediator) : FormPage
{
    public const string Form = "accused";
    public const string SavedKey = "matching.saved";

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(Name = "accusedName")] public string? AccusedName { get; set; }
    [BindProperty(Name = "accusedInstitutionId")] public Guid? AccusedInstitutionId { get; set; }
    [BindProperty(Name = "accusedEmail")] public string? AccusedEmail { get; set; }
    [BindProperty(Name = "accusedStaffNumber")] public string? AccusedStaffNumber { get; set; }

    public AccusedView? Accused { get; private set; }
    public IReadOnlyList<PublicInstitution> Institutions { get; private set; } = [];
    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        (AccusedName, AccusedInstitutionId, AccusedEmail, AccusedStaffNumber) = (Accused!.Name, Accused.InstitutionId, Accused.Email, Accused.StaffNumber);
        Saved = TempData[SavedKey] is "saved";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new SetAccused(Id, AccusedName, AccusedInstitutionId, AccusedEmail, AccusedStaffNumber), ct);
        if (result.IsSuccess)
        {
            TempData[SavedKey] = "saved";
            return Redirect($"/portaal/meldingen/{Id}/beschuldigde");
        }
        if (!ShowError(result.Error!, Form) || !await LoadAsync(ct)) return NotFound();
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var accused = await mediator.Send(new GetAccused(Id), ct);
        if (!accused.IsSuccess) return false;
        Accused = accused.Value;
        Institutions = Loaded(await mediator.Send(new ListPublicInstitutions(), ct));
        return true;
    }
}
