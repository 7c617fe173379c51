using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace CaseHandling.Server.Pages.Portal.Cases;

/// <summary>The vertrouwensinspecteur's home: the overleggen awaiting an outcome in due order, and what needs attention.</summary>
[Authorize(Policy = Policies.Inspector)]
public sealed class QueueModel(IMediator mediator, TimeProvider time) : FormPage
{
    public IReadOnlyList<OverlegView> Queue { get; private set; } = [];
    public IReadOnlyList<AttentionItem> Attention { get; private set; } = [];
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Queue = Loaded(await mediator.Send(new ListOverleggen(), ct));
        Attention = Loaded(await mediator.Send(new ListInspectorAttention(), ct));
    }
}
