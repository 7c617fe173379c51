using CaseHandling.Server.Features.Admin;
using Mediator;

namespace CaseHandling.Server.Pages.Portal.Admin;

/// <summary>The administrator's start page: what there is to manage, with a count where it helps, and the job dashboard.</summary>
public sealed class IndexModel(IMediator mediator) : AdminPage
{
    public int Institutions { get; private set; }
    public int Accounts { get; private set; }
    public int Disabled { get; private set; }
    public int LockedOut { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var institutions = await mediator.Send(new ListInstitutions(), ct);
        var accounts = await mediator.Send(new ListUsers(), ct);
        Institutions = institutions.Value?.Count ?? 0;
        Accounts = accounts.Value?.Count ?? 0;
        Disabled = accounts.Value?.Count(a => a.Disabled) ?? 0;
        LockedOut = accounts.Value?.Count(a => a.LockedOut) ?? 0;
    }
}
