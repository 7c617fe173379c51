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

/// <summary>Step 5 (lid 2): the board records the aangifte with the police (Sv 127 jo 141): date, unit, registration number.</summary>
public sealed record FileAangifte([property: FromRouteOrHeader] Guid CaseId, DateOnly? FiledOn, string? PoliceUnit, string? RegistrationNumber, [property: FromRouteOrHeader] uint? ExpectedVersion)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Required("filedOn", FiledOn)
            .Concat(Check.RequiredText("policeUnit", PoliceUnit, 200))
            .Concat(Check.RequiredText("registrationNumber", RegistrationNumber, 100));
}

public sealed class FileAangifteHandler(CaseStore store, CurrentUserAccessor current, DutyRules rules, TimeProvider time)
    : ICommandHandler<FileAangifte, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(FileAangifte cmd, CancellationToken ct)
    {
        var user = current.Get();
        var now = time.GetUtcNow();
        if (cmd.FiledOn > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1))
            return ValidationFailed.Single("filedOn", "Must not be in the future.");
        var details = new AangifteFiled(cmd.FiledOn!.Value.ToString("yyyy-MM-dd"), cmd.PoliceUnit, cmd.RegistrationNumber);
        return await CaseStep.Run(store, user, cmd.CaseId, cmd.ExpectedVersion,
            c => c.Fire(CaseTrigger.FileAangifte, user.Actor, now, details, rules), ct);
    }
}
