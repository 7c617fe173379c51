using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Cases;

/// <summary>Step 1, the board's route: it registers a matter it learned of in any other way ("op enigerlei wijze", lid 1).</summary>
[Authorize(Policy = Policies.Board)]
public sealed class RegisterModel(IMediator mediator) : FormPage
{
    public const string Form = "register";

    [BindProperty(Name = "form")] public OpenCaseForm Input { get; set; } = new();

    public OpenCaseFields Fields => new(this, Form, Input, "boardLearnedAt", T["register.learnedAt"]);

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new RegisterCase(Input.Incident, Input.Victim, Input.Accused, ParseLocal(Input.LearnedAt), Input.Facts), ct);
        if (result.IsSuccess)
        {
            TempData[CasePageModel.SavedKey] = "registered";
            return Redirect($"/portaal/zaken/{result.Value!.Id}");
        }
        return ShowError(result.Error!, Form) ? Page() : NotFound();
    }
}
