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
/// Step 1 (lid 3): a staff member informs the board itself, "onverwijld". Filing it opens the case; the
/// board learns of the matter at that moment, and the staff duty is met (late when past its deadline
/// counted from <see cref="LearnedAt"/>).
/// </summary>
public sealed record NotifyBoard(
    IncidentType? IncidentType, VictimInput? Victim, AccusedRole? AccusedRole, DateTimeOffset? LearnedAt, string? Facts)
    : ICommand<Result<NotificationReceipt>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        OpenCaseChecks.Validate(IncidentType, Victim, AccusedRole, Facts)
            .Concat(Check.Required("learnedAt", LearnedAt));
}

/// <summary>What the staff member gets back: the case number, not the case (they cannot read it afterwards).</summary>
public sealed record NotificationReceipt(string Number, DateTimeOffset ReceivedAt);

public sealed class NotifyBoardHandler(CaseHandlingDbContext db, CurrentUserAccessor current, DutyRules rules, UnitOfWork work, TimeProvider time)
    : ICommandHandler<NotifyBoard, Result<NotificationReceipt>>
{
    public async ValueTask<Result<NotificationReceipt>> Handle(NotifyBoard cmd, CancellationToken ct)
    {
        var user = current.Get();
        var now = time.GetUtcNow();
        if (cmd.LearnedAt > now.AddMinutes(5))
            return ValidationFailed.Single("learnedAt", "Must not be in the future.");
        var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Id == user.InstitutionId, ct);
        if (institution is null) return new Forbidden("This account is not bound to an institution.");

        var facts = new CaseFacts(institution.Sector, cmd.IncidentType!.Value, cmd.Victim!.Kind!.Value, cmd.Victim.Age!.Value,
            cmd.Victim.Afhankelijkheidsrelatie, cmd.AccusedRole!.Value, BoardLearnedAt: now);
        var c = Case.Open(institution.Id, facts, OpenedVia.StaffNotification, user.Actor, cmd.LearnedAt!.Value.ToUniversalTime(),
            new CaseOpened(cmd.Facts, cmd.LearnedAt.Value.ToUniversalTime().ToString("O")), rules, now);
        work.Add(c);
        work.Audit(c.Id, "change:Opened", user);
        return await work.CommitAsync("The case", () => new NotificationReceipt(c.Number, now), ct);
    }
}
