using System.Globalization;
using CaseHandling.Server.Features.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Admin;

/// <summary>
/// Encryption at rest (docs/ENCRYPTION.md): which key-encryption key is active and how many data keys each key still
/// wraps; and step 2 of a rotation, re-wrapping every data key under the active one. Key material is never shown.
/// </summary>
public sealed class KeysModel(IMediator mediator) : AdminPage
{
    public const string Path = "/portaal/beheer/sleutels";

    public KeyStatusView Status { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadSaved();
        Status = Loaded(await mediator.Send(new GetKeyStatus(), ct));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new RewrapDataKeys(), ct);
        if (!result.IsSuccess)
        {
            StepProblem = T["step.refused"];
            Response.StatusCode = StatusCodes.Status409Conflict;
            Status = Loaded(await mediator.Send(new GetKeyStatus(), ct));
            return Page();
        }
        var v = result.Value!;
        return Done(Path, T.Format("admin.keys.rewrapped", v.Rewrapped.ToString(CultureInfo.CurrentCulture), v.ActiveKeyId,
            v.SubjectsSealed.ToString(CultureInfo.CurrentCulture)));
    }
}
