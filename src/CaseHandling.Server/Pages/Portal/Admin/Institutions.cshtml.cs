using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Admin;

/// <summary>Institutions (bevoegd gezag): the list, a new one, and each one's contact address for notices.</summary>
public sealed class InstitutionsModel(IMediator mediator) : AdminPage
{
    public const string Path = "/portaal/beheer/instellingen";
    public const string CreateForm = "create";
    public const string ContactForm = "contact";

    public IReadOnlyList<InstitutionView> Institutions { get; private set; } = [];

    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "sector")] public string? Sector { get; set; }
    [BindProperty(Name = "contactEmail")] public string? ContactEmail { get; set; }

    /// <summary>The institution whose contact form failed, so its field shows what was typed and the error.</summary>
    public Guid? FailedContact { get; private set; }

    public static string ContactField(Guid id) => $"contact-{id:N}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadSaved();
        await Load(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new CreateInstitution(Name, Choice<Sector>(Sector), ContactEmail), ct);
        if (result.IsSuccess) return Done(Path, T.Format("admin.institutions.created", result.Value!.Name));
        ShowError(result.Error!, CreateForm);
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostContactAsync(Guid id, CancellationToken ct)
    {
        var result = await mediator.Send(new UpdateInstitutionContact(id, ContactEmail), ct);
        if (result.IsSuccess) return Done(Path, T.Format("admin.institutions.contactChanged", result.Value!.Name));
        if (result.Error is NotFound) return NotFound();
        // One field per row: the error stands at that row's field.
        FailedContact = id;
        if (result.Error is ValidationFailed v)
            Errors[ContactField(id)] = T.Error("contactEmail", v.Fields.Values.First()[0]);
        else ShowError(result.Error!, ContactForm);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await Load(ct);
        if (Institutions.FirstOrDefault(i => i.Id == id) is { } named)
            FieldLabels[ContactField(id)] = T.Format("admin.institutions.contactOf", named.Name);
        return Page();
    }

    private async Task Load(CancellationToken ct) => Institutions = Loaded(await mediator.Send(new ListInstitutions(), ct));
}
