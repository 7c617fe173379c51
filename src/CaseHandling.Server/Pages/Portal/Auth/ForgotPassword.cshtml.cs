using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Auth;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// "Forgotten password": asks for the address and always gives the same answer, whether or not an account has it
/// (RequestPasswordReset sends the mail only when one does).
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(IMediator mediator) : AccountPage
{
    [BindProperty] public string? Email { get; set; }

    public bool Sent { get; private set; }

    public override string Label(string field) => T["account.forgot.email"];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new RequestPasswordReset(Email), ct);
        if (result.Error is ValidationFailed v)
        {
            foreach (var (field, messages) in v.Fields) Errors[field] = T.Error(field, messages[0]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // A failure to save (a lost race) is not shown either: the answer must not depend on the account.
        Sent = true;
        return Page();
    }
}
