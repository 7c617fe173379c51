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

/// <summary>
/// Who was informed in step 4: the parents or guardians (minor victim; the student may be informed as well), the student
/// (adult: the parents may not be), and the accused (always).
/// </summary>
public enum InformedParty { Parents, Student, Accused }

/// <summary>
/// Step 4 (lid 2): the board informs the parents (minor) or the student (adult) and the accused,
/// "voordat" it files the aangifte. The transition table refuses the aangifte before this step.
/// </summary>
public sealed record InformParties([property: FromRouteOrHeader] Guid CaseId, DateTimeOffset? InformedAt, IReadOnlyList<InformedParty>? Parties, string? How, [property: FromRouteOrHeader] uint? ExpectedVersion)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("informedAt", InformedAt)
            .Concat(Parties is null || Parties.Count == 0 ? [("parties", "Name who was informed.")] : [])
            .Concat(Parties is not null && !Parties.Contains(InformedParty.Accused) ? [("parties", "The accused must be informed too.")] : [])
            .Concat(Parties is not null && !Parties.Contains(InformedParty.Parents) && !Parties.Contains(InformedParty.Student)
                ? [("parties", "The parents (minor) or the student (adult) must be informed.")] : [])
            // Who else may and must be informed depends on the victim; the case decides that (Informing.Check).
            .Concat(Check.RequiredText("how", How, 2000));
}

public sealed class InformPartiesHandler(CaseStore store, CurrentUserAccessor current, DutyRules rules, TimeProvider time)
    : ICommandHandler<InformParties, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(InformParties cmd, CancellationToken ct)
    {
        var user = current.Get();
        var now = time.GetUtcNow();
        if (cmd.InformedAt > now.AddMinutes(5)) return ValidationFailed.Single("informedAt", "Must not be in the future.");
        var details = new PartiesInformed(cmd.InformedAt!.Value.ToUniversalTime().ToString("O"), string.Join(",", cmd.Parties!), cmd.How);
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.InformParties(user.Actor, cmd.Parties!.Contains(InformedParty.Parents), cmd.Parties!.Contains(InformedParty.Student),
                cmd.Parties!.Contains(InformedParty.Accused), now, details, rules), ct);
    }
}
