using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Meldpunt;

/// <summary>
/// The meldpunt handler's inbox: the reports whose service level is due soonest first, the overdue ones marked; the
/// closed ones on request. Numbers, kinds and dates only: what a reporter wrote is on the report's own page, whose
/// every read is recorded.
/// </summary>
[Authorize(Policy = Policies.MeldpuntHandler)]
public sealed class InboxModel(IMediator mediator) : FormPage
{
    [BindProperty(SupportsGet = true, Name = "gesloten")] public bool IncludeClosed { get; set; }

    /// <summary>A report's number, as a colleague or a reminder mail names it: the report opens.</summary>
    [BindProperty(SupportsGet = true, Name = "nummer")] public string? Nummer { get; set; }

    public bool NumberNotFound { get; private set; }

    public IReadOnlyList<ReportInboxItem> Reports { get; private set; } = [];

    public int Overdue => Reports.Count(r => r.Overdue);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Nummer))
        {
            var found = Loaded(await mediator.Send(new ListReports(Number: Nummer), ct));
            if (found.Count == 1) return Redirect($"/portaal/meldingen/{found[0].Id}");
            NumberNotFound = true;
        }
        Reports = Loaded(await mediator.Send(new ListReports(IncludeClosed), ct));
        return Page();
    }
}
