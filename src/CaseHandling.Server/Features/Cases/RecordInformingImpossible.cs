using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Cases;

/// <summary>
/// Step 4 could not be done before the aangifte (e.g. on police advice). Allowed only with a written
/// reason, which is flagged to the vertrouwensinspecteur and kept in the timeline (WORKFLOW.md).
/// </summary>
public sealed record RecordInformingImpossible([property: FromRouteOrHeader] Guid CaseId, string? Reason, [property: FromRouteOrHeader] uint? ExpectedVersion)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("reason", Reason, 4000);
}

public sealed class RecordInformingImpossibleHandler(CaseStore store, CurrentUserAccessor current, DutyRules rules, TimeProvider time)
    : ICommandHandler<RecordInformingImpossible, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(RecordInformingImpossible cmd, CancellationToken ct)
    {
        var user = current.Get();
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.RecordInformingImpossible(user.Actor, cmd.Reason!, time.GetUtcNow(),
                new InformingImpossible(cmd.Reason), rules), ct);
    }
}
