using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>
/// The board registers a matter it learned of in any way ("op enigerlei wijze", lid 1): opens a case.
/// The regime is chosen by <see cref="BoardLearnedAt"/>.
/// </summary>
public sealed record RegisterCase(
    IncidentType? IncidentType, VictimInput? Victim, AccusedRole? AccusedRole, DateTimeOffset? BoardLearnedAt, string? Facts)
    : ICommand<Result<CaseRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        OpenCaseChecks.Validate(IncidentType, Victim, AccusedRole, Facts)
            .Concat(Check.Required("boardLearnedAt", BoardLearnedAt));
}

public sealed class RegisterCaseHandler(CaseHandlingDbContext db, CurrentUserAccessor current, DutyRules rules, UnitOfWork work, TimeProvider time)
    : ICommandHandler<RegisterCase, Result<CaseRef>>
{
    public async ValueTask<Result<CaseRef>> Handle(RegisterCase cmd, CancellationToken ct)
    {
        var user = current.Get();
        var now = time.GetUtcNow();
        if (cmd.BoardLearnedAt > now.AddMinutes(5))
            return ValidationFailed.Single("boardLearnedAt", "Must not be in the future.");
        var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Id == user.InstitutionId, ct);
        if (institution is null) return new Forbidden("This account is not bound to an institution.");

        var facts = new CaseFacts(institution.Sector, cmd.IncidentType!.Value, cmd.Victim!.Kind!.Value, cmd.Victim.Age!.Value,
            cmd.Victim.Afhankelijkheidsrelatie, cmd.AccusedRole!.Value, cmd.BoardLearnedAt!.Value.ToUniversalTime());
        var c = Case.Open(institution.Id, facts, OpenedVia.BoardRegistration, user.Actor, staffLearnedAt: null,
            new CaseOpened(cmd.Facts), rules, now);
        work.Add(c);
        work.Audit(c.Id, "change:Opened", user);
        return await work.CommitAsync("The case", () => CaseRef.Of(c), ct);
    }
}
