using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace CaseHandling.Server.Pages.Portal.Meldpunt;

/// <summary>The meldpunt's alert: open matches between independent reports (docs/MATCHING.md). Each showing is audited.</summary>
[Authorize(Policy = Policies.MeldpuntHandler)]
public sealed class MatchesModel(IMediator mediator) : FormPage
{
    public IReadOnlyList<MatchView> Matches { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Matches = Loaded(await mediator.Send(new ListMatches(), ct));

    public string SharedBy(MatchView m) => string.Join(", ", m.SharedBy.Select(k => Word(k)));
}
