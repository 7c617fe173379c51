using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>All staff accounts (administrator).</summary>
public sealed record ListUsers : IQuery<Result<IReadOnlyList<UserView>>>;

public sealed class ListUsersHandler(CaseHandlingDbContext db) : IQueryHandler<ListUsers, Result<IReadOnlyList<UserView>>>
{
    public async ValueTask<Result<IReadOnlyList<UserView>>> Handle(ListUsers q, CancellationToken ct)
    {
        var rows = await (from u in db.Users.AsNoTracking()
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          orderby u.Email
                          select new { u.Id, u.Email, u.DisplayName, Role = r.Name, u.InstitutionId, u.TwoFactorEnabled }).ToListAsync(ct);
        return rows.Select(r => new UserView(r.Id, r.Email ?? "", r.DisplayName, Roles.Parse(r.Role) ?? StaffRole.StaffMember,
            r.InstitutionId, r.TwoFactorEnabled)).ToList();
    }
}
