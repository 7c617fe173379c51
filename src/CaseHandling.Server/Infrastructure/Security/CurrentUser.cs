using System.Security.Claims;
using CaseHandling.Domain.Cases;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>The signed-in person as the handlers see them.</summary>
public sealed record CurrentUser(string UserId, StaffRole Role, Guid? InstitutionId)
{
    public const string InstitutionClaim = "institution";

    public Actor Actor => new(UserId, Role);
}

/// <summary>Reads the current user from the request; the demo seeder sets one explicitly.</summary>
public sealed class CurrentUserAccessor(IHttpContextAccessor http)
{
    private CurrentUser? _override;

    public void Set(CurrentUser user) => _override = user;

    /// <summary>The signed-in account's id alone, for what a person does to their own account (any role, or none yet).</summary>
    public string AccountId() =>
        _override?.UserId ?? http.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("No signed-in user in this scope.");

    public CurrentUser Get()
    {
        if (_override is not null) return _override;
        var principal = http.HttpContext?.User
            ?? throw new InvalidOperationException("No signed-in user in this scope.");
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The principal has no user id.");
        var role = principal.FindAll(ClaimTypes.Role).Select(c => Roles.Parse(c.Value)).FirstOrDefault(r => r is not null)
            ?? throw new InvalidOperationException("The principal has no known role.");
        Guid? institution = Guid.TryParse(principal.FindFirstValue(CurrentUser.InstitutionClaim), out var g) ? g : null;
        return new CurrentUser(id, role, institution);
    }
}
