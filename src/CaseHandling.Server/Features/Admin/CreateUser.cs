using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>The administrator creates a staff account with one role; boards and staff members are bound to an institution.</summary>
public sealed record CreateUser(string? Email, string? DisplayName, string? Password, StaffRole? Role, Guid? InstitutionId)
    : ICommand<Result<UserView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.Email("email", Email, 256)
            .Concat(Check.RequiredText("displayName", DisplayName, 200))
            .Concat(Check.RequiredText("password", Password, 200))
            .Concat(Check.Required("role", Role))
            .Concat(Role is { } r && Roles.IsInstitutionBound(r) && InstitutionId is null ? [("institutionId", "Required for this role.")] : [])
            .Concat(Role is { } r2 && !Roles.IsInstitutionBound(r2) && InstitutionId is not null ? [("institutionId", "This role is not bound to an institution.")] : []);
}

/// <summary>
/// An account: <see cref="Disabled"/> is the administrator's decision (no sign-in at all); <see cref="LockedOut"/> is
/// Identity's temporary lockout after failed attempts, which ends by itself or by an unlock.
/// </summary>
/// <param name="LinkedProviders">The providers (their configured names) whose identity is linked to the account (docs/SIGN-IN.md); never the subject.</param>
public sealed record UserView(string Id, string Email, string DisplayName, StaffRole Role, Guid? InstitutionId, bool TwoFactorEnabled,
    string? InstitutionName = null, bool Disabled = false, bool LockedOut = false, IReadOnlyList<string>? LinkedProviders = null);

public sealed class CreateUserHandler(UserManager<StaffUser> users, CaseHandlingDbContext db, UnitOfWork work, CurrentUserAccessor current, TimeProvider time) : ICommandHandler<CreateUser, Result<UserView>>
{
    public async ValueTask<Result<UserView>> Handle(CreateUser cmd, CancellationToken ct)
    {
        if (cmd.InstitutionId is { } inst && !await db.Institutions.AnyAsync(i => i.Id == inst, ct))
            return ValidationFailed.Single("institutionId", "No such institution.");
        var user = new StaffUser
        {
            UserName = cmd.Email!.Trim(), Email = cmd.Email.Trim(), EmailConfirmed = true,
            DisplayName = cmd.DisplayName!.Trim(), InstitutionId = cmd.InstitutionId,
        };
        var role = Roles.NameOf(cmd.Role!.Value);
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            var created = await users.CreateAsync(user, cmd.Password!);
            if (!created.Succeeded) return IdentityErrors(created);
            var added = await users.AddToRoleAsync(user, role);
            if (!added.Succeeded) return IdentityErrors(added);
            work.Audit(Guid.Parse(user.Id), $"account.created:{role}", current.Get());
            return Result.Success();
        }, ct);
        if (!changed.IsSuccess) return changed.Error!;
        return await Accounts.ViewAsync(db, time, user.Id, ct);
    }

    /// <summary>Identity's messages name the rule (password too short, name taken), never the password.</summary>
    private static ValidationFailed IdentityErrors(IdentityResult result) =>
        new(result.Errors.GroupBy(e => e.Code.Contains("Password") ? "password" : "email")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
}
