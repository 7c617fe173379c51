using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.OpenApi;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// Unlinks an account's federated identity (docs/SIGN-IN.md): the identity a provider's first sign-in linked to the account,
/// named by the provider's configured name (one identity per issuer per account). Afterwards that identity signs in to
/// nothing, until a next sign-in links again by the provider's verified e-mail address to the account that then has it:
/// the way out when a person's provider account passed to someone else, or a link was made to the wrong account.
/// Removing a login renews the account's security stamp, so sessions opened with the identity end within a minute.
/// The audit records the account, the administrator and the provider; not the subject.
/// </summary>
public sealed record UnlinkFederatedIdentity([property: FromRouteOrHeader] Guid UserId, string? Provider) : ICommand<Result<UserView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.RequiredText("provider", Provider, 100);
}

public sealed class UnlinkFederatedIdentityHandler(UserManager<StaffUser> users, CaseHandlingDbContext db, CurrentUserAccessor current,
    UnitOfWork work, TimeProvider time) : ICommandHandler<UnlinkFederatedIdentity, Result<UserView>>
{
    public async ValueTask<Result<UserView>> Handle(UnlinkFederatedIdentity cmd, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(cmd.UserId.ToString());
        if (user is null) return new NotFound("The account");
        var linked = (await users.GetLoginsAsync(user)).Where(l => l.ProviderDisplayName == cmd.Provider!.Trim()).ToList();
        if (linked.Count == 0) return new NotFound("A linked identity of this provider");
        var changed = await work.AtomicallyAsync("The account", async () =>
        {
            foreach (var login in linked)
            {
                var removed = await users.RemoveLoginAsync(user, login.LoginProvider, login.ProviderKey);
                if (!removed.Succeeded) return new ConcurrencyConflict("The account");
            }
            work.Audit(cmd.UserId, $"account.login_unlinked:{linked[0].ProviderDisplayName}", current.Get());
            return Result.Success();
        }, ct);
        if (!changed.IsSuccess) return changed.Error!;
        return await Accounts.ViewAsync(db, time, user.Id, ct);
    }
}
