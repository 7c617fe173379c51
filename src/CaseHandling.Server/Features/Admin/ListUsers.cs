using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>All staff accounts (administrator): who, which role and institution, and the account's state. No case is named.</summary>
public sealed record ListUsers : IQuery<Result<IReadOnlyList<UserView>>>;

public sealed class ListUsersHandler(CaseHandlingDbContext db, TimeProvider time) : IQueryHandler<ListUsers, Result<IReadOnlyList<UserView>>>
{
    public async ValueTask<Result<IReadOnlyList<UserView>>> Handle(ListUsers q, CancellationToken ct) =>
        (await Accounts.ViewsAsync(db, time, null, ct)).ToList();
}

/// <summary>The account rows as the administrator sees them; also the answer of each change to an account.</summary>
public static class Accounts
{
    public static async Task<IReadOnlyList<UserView>> ViewsAsync(CaseHandlingDbContext db, TimeProvider time, string? userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rows = await (from u in db.Users.AsNoTracking()
                          where userId == null || u.Id == userId
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          join i in db.Institutions on u.InstitutionId equals i.Id into inst
                          from i in inst.DefaultIfEmpty()
                          orderby u.Email
                          select new
                          {
                              u.Id, u.Email, u.DisplayName, Role = r.Name, u.InstitutionId, InstitutionName = i == null ? null : i.Name,
                              u.TwoFactorEnabled, u.DisabledAt, u.LockoutEnd,
                          }).ToListAsync(ct);
        // The linked identities by provider name only: the subject (the provider's identifier of the person) is not shown.
        var links = (await db.UserLogins.AsNoTracking().Where(l => userId == null || l.UserId == userId)
                .Select(l => new { l.UserId, l.ProviderDisplayName }).ToListAsync(ct))
            .ToLookup(l => l.UserId, l => l.ProviderDisplayName ?? "");
        return rows.Select(r => new UserView(r.Id, r.Email ?? "", r.DisplayName, Roles.Parse(r.Role) ?? Domain.Cases.StaffRole.StaffMember,
            r.InstitutionId, r.TwoFactorEnabled, r.InstitutionName, r.DisabledAt is not null, r.LockoutEnd is { } end && end > now,
            links[r.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    public static async Task<UserView> ViewAsync(CaseHandlingDbContext db, TimeProvider time, string userId, CancellationToken ct) =>
        (await ViewsAsync(db, time, userId, ct)).Single();
}
