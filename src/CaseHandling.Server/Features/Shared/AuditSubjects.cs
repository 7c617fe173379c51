namespace CaseHandling.Server.Features.Shared;

/// <summary>
/// The audit trail's subjects that are not a case, report, incident, account or institution (those are their own id):
/// the system's settings and its keys, each a chain of its own (docs/AUDIT.md).
/// </summary>
public static class AuditSubjects
{
    /// <summary>The rules' settings the administrator changes (UpdateSettings).</summary>
    public static readonly Guid Settings = new("00000000-0000-7000-8000-5e7741a95000");

    /// <summary>The key-encryption keys' rotation and the sealing of plaintext (RewrapDataKeys).</summary>
    public static readonly Guid Keys = new("00000000-0000-7000-8000-00000000ce75");
}
