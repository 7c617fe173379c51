using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Data;

/// <summary>A staff account. Boards and staff members are bound to one institution.</summary>
public sealed class StaffUser : IdentityUser
{
    public Guid? InstitutionId { get; set; }
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// When the administrator disabled the account (null: enabled). A column of its own rather than Identity's lockout:
    /// lockout is Identity's temporary answer to failed attempts, which "unlock" clears and which Identity itself sets and
    /// lifts; a disabled account is the administrator's decision, which neither an unlock, a password reset nor the
    /// lockout's end may undo, and the account list must tell the two apart.
    /// </summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>A staff member the board authorised to record safety incidents in the register (bill 36 777).</summary>
    public bool IncidentRegistrar { get; set; }
}

/// <summary>An education institution (bevoegd gezag) in one sector.</summary>
public sealed class Institution
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public Domain.Cases.Sector Sector { get; set; }
    /// <summary>The board's contact address for notices (used by reminders and escalation).</summary>
    public string ContactEmail { get; set; } = "";
}
