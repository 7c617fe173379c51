using CaseHandling.Data;
using CaseHandling.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>What the account commands share: who the account's own changes are recorded as, and Identity's verdicts as errors.</summary>
internal static class AccountChange
{
    /// <summary>The account acting on itself: its id and its role, as the audit trail names every actor.</summary>
    public static async Task<(Guid Subject, string UserId, string Role)> SelfAsync(UserManager<StaffUser> users, StaffUser user) =>
        (Guid.Parse(user.Id), user.Id, (await users.GetRolesAsync(user)).FirstOrDefault() ?? "");

    /// <summary>
    /// The signed-in account, once a code from its authenticator app has proved the person holds it (enrolment, new
    /// recovery codes): a session left open is not enough.
    /// </summary>
    public static async Task<Result<(StaffUser User, (Guid Subject, string UserId, string Role) Self)>> ProvenByCodeAsync(
        UserManager<StaffUser> users, string accountId, string? code)
    {
        if (await users.FindByIdAsync(accountId) is not { } user) return new NotFound("The account");
        if (!await TwoFactor.IsValidCode(users, user, code)) return ValidationFailed.Single("code", "The code is not valid.");
        return (user, await SelfAsync(users, user));
    }

    /// <summary>
    /// Identity's refusal as a 400 on <paramref name="field"/>; each message is Identity's error code (e.g. PasswordTooShort),
    /// which the pages say in the reader's language. A code, never the password.
    /// </summary>
    public static ValidationFailed Refused(string field, IdentityResult result) =>
        new(new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Code).Distinct().ToArray() });
}
