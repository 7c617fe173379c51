using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Cases;

/// <summary>
/// Step 1 (lid 3): a staff member notifies the board. Afterwards only the case number is shown: the staff member does
/// not follow the case (the board and the inspector do), so the page never reads it back.
/// </summary>
[Authorize(Policy = Policies.StaffMember)]
public sealed class NotifyModel(IMediator mediator) : FormPage
{
    public const string Form = "notify";

    [BindProperty(Name = "form")] public OpenCaseForm Input { get; set; } = new();

    private const string ReceiptKey = "portal.receipt";

    /// <summary>The case number just received, shown once after the redirect.</summary>
    public string? Receipt { get; private set; }

    public OpenCaseFields Fields => new(this, Form, Input, "learnedAt", T["notify.learnedAt"]);

    // The number travels in TempData (this person's own protected cookie), not in the URL: a link cannot make the page
    // confirm a notification that was never sent, and the browser's history does not record that one was.
    public void OnGet() => Receipt = TempData[ReceiptKey] as string;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new NotifyBoard(Input.Incident, Input.Victim, Input.Accused, ParseLocal(Input.LearnedAt), Input.Facts), ct);
        // Post, redirect, get: a reload of the confirmation does not notify the board twice.
        if (result.IsSuccess)
        {
            TempData[ReceiptKey] = result.Value!.Number;
            return Redirect("/portaal/melden");
        }
        return ShowError(result.Error!, Form) ? Page() : NotFound();
    }
}
