using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Meldpunt;

/// <summary>Two matching reports side by side (docs/MATCHING.md). Shown only when they really match; each showing is audited.</summary>
[Authorize(Policy = Policies.MeldpuntHandler)]
public sealed class MatchModel(IMediator mediator) : FormPage
{
    [BindProperty(SupportsGet = true)] public Guid A { get; set; }
    [BindProperty(SupportsGet = true)] public Guid B { get; set; }

    public MatchDetail? Detail { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new GetMatch(A, B), ct);
        if (!result.IsSuccess) return NotFound();
        Detail = result.Value;
        return Page();
    }

    public string SharedBy => string.Join(", ", Detail!.Match.SharedBy.Select(k => Word(k)));
}
