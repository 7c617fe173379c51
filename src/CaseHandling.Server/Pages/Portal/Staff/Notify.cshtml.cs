using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Chain;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Staff;

/// <summary>
/// Step 1 (lid 3): a staff member notifies the board. Afterwards only the case number is shown: the staff member does
/// not follow the case (the board and the inspector do), so the page never reads it back.
/// </summary>
[Authorize(Policy = Policies.StaffMember)]
public sealed class NotifyModel(IMediator mediator) : ChainPage
{
    public const string Form = "notify";

    [BindProperty(Name = "form")] public OpenCaseForm Input { get; set; } = new();

    /// <summary>The case number just received (after the redirect; a number only, no content).</summary>
    [BindProperty(SupportsGet = true, Name = "ontvangen")] public string? Receipt { get; set; }

    public OpenCaseFields Fields => new(this, Form, Input, "learnedAt", T["notify.learnedAt"]);

    public void OnGet()
    {
        // Only a case number's shape is echoed, so the link cannot be used to put other text on this page.
        if (Receipt is not null && !System.Text.RegularExpressions.Regex.IsMatch(Receipt, "^CH-[0-9]{1,12}$")) Receipt = null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Receipt = null;
        var result = await mediator.Send(new NotifyBoard(Input.Incident, Input.Victim, Input.Accused, ParseLocal(Input.LearnedAt), Input.Facts), ct);
        // Post, redirect, get: a reload of the confirmation does not notify the board twice.
        if (result.IsSuccess) return Redirect("/portaal/melden?ontvangen=" + Uri.EscapeDataString(result.Value!.Number));
        return ShowError(result.Error!, Form) ? Page() : NotFound();
    }
}
