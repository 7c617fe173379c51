using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Cases;

/// <summary>Step 2 (lid 1): the board starts the overleg with a named vertrouwensinspecteur.</summary>
public sealed record StartOverleg([property: FromRouteOrHeader] Guid CaseId, string? InspectorId, string? FactsGiven, [property: FromRouteOrHeader] uint? ExpectedVersion)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("inspectorId", InspectorId).Concat(Check.RequiredText("factsGiven", FactsGiven, OpenCaseChecks.MaxFacts));
}

public sealed class StartOverlegHandler(
    CaseStore store, CurrentUserAccessor current, UserManager<StaffUser> users, DutyRules rules, TimeProvider time)
    : ICommandHandler<StartOverleg, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(StartOverleg cmd, CancellationToken ct)
    {
        var inspector = await users.FindByIdAsync(cmd.InspectorId!);
        if (inspector is null || !await users.IsInRoleAsync(inspector, Roles.Vertrouwensinspecteur))
            return ValidationFailed.Single("inspectorId", "Not a vertrouwensinspecteur.");
        var user = current.Get();
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.StartOverleg(user.Actor, inspector.Id, time.GetUtcNow(),
                new OverlegStarted(inspector.Id, cmd.FactsGiven), rules), ct);
    }
}
