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
/// Step 7 and closing: the board records the follow-up chosen (employment measures, the complaints
/// procedure, or none) with its reasoning, and the case closes.
/// </summary>
public sealed record RecordFollowUp([property: FromRouteOrHeader] Guid CaseId, FollowUp? FollowUp, string? Reasoning, [property: FromRouteOrHeader] uint? ExpectedVersion)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("followUp", FollowUp).Concat(Check.RequiredText("reasoning", Reasoning, OpenCaseChecks.MaxFacts));
}

public sealed class RecordFollowUpHandler(CaseStore store, CurrentUserAccessor current, DutyRules rules, TimeProvider time)
    : ICommandHandler<RecordFollowUp, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(RecordFollowUp cmd, CancellationToken ct)
    {
        var user = current.Get();
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.RecordFollowUp(user.Actor, cmd.FollowUp!.Value, time.GetUtcNow(),
                new FollowUpRecorded(cmd.FollowUp.ToString()!, cmd.Reasoning), rules), ct);
    }
}
