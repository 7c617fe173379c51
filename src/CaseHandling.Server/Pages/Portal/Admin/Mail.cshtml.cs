using CaseHandling.Server.Features.Admin;
using Mediator;

namespace CaseHandling.Server.Pages.Portal.Admin;

/// <summary>
/// Mail the outbox could not deliver (docs/RELIABILITY.md): refused for good by the mail server, or failed at every
/// attempt. The administrator sees which reminder or escalation did not arrive, about which number, and to whom, so the
/// board or inspector can be told another way. Never the subject or the body.
/// </summary>
public sealed class MailModel(IMediator mediator) : AdminPage
{
    public const string Path = "/portaal/beheer/post";

    public IReadOnlyList<UndeliveredMailView> Undelivered { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Undelivered = Loaded(await mediator.Send(new ListUndeliveredMail(), ct));
}
