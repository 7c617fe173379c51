using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Chain;
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
public sealed class InboxModel(IMediator mediator) : ChainPage
{
    [BindProperty(SupportsGet = true, Name = "gesloten")] public bool IncludeClosed { get; set; }

    public IReadOnlyList<ReportInboxItem> Reports { get; private set; } = [];

    public int Overdue => Reports.Count(r => r.Overdue);

    public async Task OnGetAsync(CancellationToken ct) =>
        Reports = (await mediator.Send(new ListReports(IncludeClosed), ct)).Value ?? [];
}
