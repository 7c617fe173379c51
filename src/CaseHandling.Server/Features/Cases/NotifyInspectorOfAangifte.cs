using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Workflow;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Cases;

/// <summary>Step 6 (lid 2): the board records that it notified the vertrouwensinspecteur of the aangifte.</summary>
public sealed record NotifyInspectorOfAangifte([property: FromRouteOrHeader] Guid CaseId, DateOnly? NotifiedOn, [property: FromRouteOrHeader] uint? ExpectedVersion)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.Required("notifiedOn", NotifiedOn);
}

public sealed class NotifyInspectorOfAangifteHandler(CaseStore store, CurrentUserAccessor current, DutyRules rules, TimeProvider time)
    : ICommandHandler<NotifyInspectorOfAangifte, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(NotifyInspectorOfAangifte cmd, CancellationToken ct)
    {
        var user = current.Get();
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.Fire(CaseTrigger.NotifyInspectorOfAangifte, user.Actor, time.GetUtcNow(),
                new InspectorNotified(cmd.NotifiedOn!.Value.ToString("yyyy-MM-dd")), rules), ct);
    }
}
