using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>The board authorises one of its staff members to keep the incident register, or withdraws it.</summary>
public sealed record SetIncidentRegistrar(string UserId, bool Authorised) : ICommand<Result<IncidentRegistrarView>>;

public sealed record IncidentRegistrarView(string UserId, string DisplayName, bool Authorised);

public sealed class SetIncidentRegistrarHandler(CaseHandlingDbContext db, CurrentUserAccessor current, UnitOfWork work)
    : ICommandHandler<SetIncidentRegistrar, Result<IncidentRegistrarView>>
{
    public async ValueTask<Result<IncidentRegistrarView>> Handle(SetIncidentRegistrar cmd, CancellationToken ct)
    {
        var board = current.Get();
        if (board.Role != StaffRole.Board || board.InstitutionId is not { } institution) return new Forbidden("A board authorises its own staff.");
        var staff = await db.Users.FirstOrDefaultAsync(u => u.Id == cmd.UserId && u.InstitutionId == institution, ct);
        if (staff is null || !await db.UserRoles.AnyAsync(r => r.UserId == staff.Id && r.RoleId == "role-staffmember", ct))
            return new NotFound("The staff member");
        staff.IncidentRegistrar = cmd.Authorised;
        work.Audit(Guid.Parse(staff.Id), cmd.Authorised ? "account.incident_registrar_authorised" : "account.incident_registrar_withdrawn", board);
        var saved = await work.CommitAsync("The staff member", ct);
        return saved.IsSuccess ? new IncidentRegistrarView(staff.Id, staff.DisplayName, staff.IncidentRegistrar) : saved.Error!;
    }
}

/// <summary>The board's staff members, and whether each may keep the incident register.</summary>
public sealed record ListIncidentRegistrars : IQuery<Result<IReadOnlyList<IncidentRegistrarView>>>;

public sealed class ListIncidentRegistrarsHandler(CaseHandlingDbContext db, CurrentUserAccessor current)
    : IQueryHandler<ListIncidentRegistrars, Result<IReadOnlyList<IncidentRegistrarView>>>
{
    public async ValueTask<Result<IReadOnlyList<IncidentRegistrarView>>> Handle(ListIncidentRegistrars q, CancellationToken ct)
    {
        var board = current.Get();
        if (board.Role != StaffRole.Board || board.InstitutionId is not { } institution) return new Forbidden("A board sees its own staff.");
        var rows = await (from u in db.Users.AsNoTracking()
                          join r in db.UserRoles.AsNoTracking() on u.Id equals r.UserId
                          where u.InstitutionId == institution && r.RoleId == "role-staffmember"
                          orderby u.DisplayName
                          select new IncidentRegistrarView(u.Id, u.DisplayName, u.IncidentRegistrar)).ToListAsync(ct);
        return rows;
    }
}
