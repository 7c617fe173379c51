using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Cases;

/// <summary>
/// The board places or lifts a legal hold on its case (pending proceedings, a request from the police or the
/// Inspectorate): while it holds, the retention job does not erase the case (docs/RETENTION.md).
/// </summary>
public sealed record SetLegalHold([property: FromRouteOrHeader] Guid CaseId, bool? Hold, [property: FromRouteOrHeader] uint? ExpectedVersion) : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.Required("hold", Hold);
}

public sealed class SetLegalHoldHandler(CaseStore store, CurrentUserAccessor current, TimeProvider time) : ICommandHandler<SetLegalHold, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(SetLegalHold cmd, CancellationToken ct)
    {
        var user = current.Get();
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.SetLegalHold(user.Actor, cmd.Hold!.Value, time.GetUtcNow()), ct);
    }
}
