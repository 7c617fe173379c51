using CaseHandling.Domain.Reports;

namespace CaseHandling.Server.Infrastructure.Matching;

/// <summary>The checks on the accused's identifiers, the same at filing and when the handler corrects them (same field names).</summary>
public static class AccusedCheck
{
    public static IEnumerable<(string Field, string Message)> Validate(string? name, string? email, string? staffNumber)
    {
        if (name?.Trim().Length > AccusedNormalizer.MaxLength) yield return ("accusedName", $"At most {AccusedNormalizer.MaxLength} characters.");
        if (email?.Trim().Length > 320) yield return ("accusedEmail", "At most 320 characters.");
        else if (!string.IsNullOrWhiteSpace(email) && AccusedNormalizer.Email(email) is null) yield return ("accusedEmail", "Not an e-mail address.");
        if (staffNumber?.Trim().Length > 40) yield return ("accusedStaffNumber", "At most 40 characters.");
    }
}
