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
        var institutions = Loaded(await mediator.Send(new ListInstitutions(), ct));
        var accounts = Loaded(await mediator.Send(new ListUsers(), ct));
        Institutions = institutions.Count;
        Accounts = accounts.Count;
        Disabled = accounts.Count(a => a.Disabled);
        LockedOut = accounts.Count(a => a.LockedOut);
    }
}
