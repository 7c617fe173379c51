using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Data;

/// <summary>A staff account. Boards and staff members are bound to one institution.</summary>
public sealed class StaffUser : IdentityUser
{
    public Guid? InstitutionId { get; set; }
    public string DisplayName { get; set; } = "";
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
