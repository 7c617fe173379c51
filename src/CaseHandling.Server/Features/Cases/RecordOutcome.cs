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

public enum OverlegOutcome
{
    /// <summary>Redelijk vermoeden of a zedenmisdrijf: steps 4–6 follow.</summary>
    ReasonableSuspicion,
    /// <summary>Seksuele intimidatie without a crime: meld- and overlegplicht only.</summary>
    SexualHarassment,
    /// <summary>No redelijk vermoeden: no aangifte duty (step 7).</summary>
    NoReasonableSuspicion,
    /// <summary>The overleg cannot conclude yet; more information is expected by a date.</summary>
    MoreInformationNeeded,
}

/// <summary>Step 3 (lid 2): the vertrouwensinspecteur records the outcome of the overleg, with reasoning.</summary>
public sealed record RecordOutcome([property: FromRouteOrHeader] Guid CaseId, OverlegOutcome? Outcome, string? Reasoning, DateOnly? InformationExpectedBy, [property: FromRouteOrHeader] uint? ExpectedVersion)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("outcome", Outcome)
            .Concat(Check.RequiredText("reasoning", Reasoning, OpenCaseChecks.MaxFacts))
            .Concat(Outcome == OverlegOutcome.MoreInformationNeeded ? Check.Required("informationExpectedBy", InformationExpectedBy) : []);
}

public sealed class RecordOutcomeHandler(CaseStore store, CurrentUserAccessor current, DutyRules rules, TimeProvider time)
    : ICommandHandler<RecordOutcome, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(RecordOutcome cmd, CancellationToken ct)
    {
        var trigger = cmd.Outcome!.Value switch
        {
            OverlegOutcome.ReasonableSuspicion => CaseTrigger.ConcludeReasonableSuspicion,
            OverlegOutcome.SexualHarassment => CaseTrigger.ConcludeSexualHarassment,
            OverlegOutcome.NoReasonableSuspicion => CaseTrigger.ConcludeNoReasonableSuspicion,
            OverlegOutcome.MoreInformationNeeded => CaseTrigger.RequestMoreInformation,
        };
        var user = current.Get();
        var details = new OverlegConcluded(cmd.Outcome.Value.ToString(), cmd.Reasoning, user.UserId, cmd.InformationExpectedBy?.ToString("yyyy-MM-dd"));
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.Fire(trigger, user.Actor, time.GetUtcNow(), details, rules), ct);
    }
}
