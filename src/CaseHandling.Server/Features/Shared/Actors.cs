using CaseHandling.Domain.Cases;

namespace CaseHandling.Server.Features.Shared;

/// <summary>Who acts when no signed-in person does: the names the timeline and the audit trail give them.</summary>
public static class Actors
{
    /// <summary>The meldpunt forwarding under the staff duty at submission.</summary>
    public static readonly Actor Meldpunt = new("system:meldpunt", StaffRole.MeldpuntHandler);
    public const string SystemRole = "System";

    /// <summary>
    /// The audit trail's name for whoever holds a receipt code: the reporter stays anonymous there too (no IP, no
    /// user agent); the entry says that the report was read or changed with its code, and when.
    /// </summary>
    public const string Reporter = "reporter";
    public const string ReporterRole = "Reporter";

    /// <summary>Whoever asked for something that needs no sign-in and is not a report (a password reset link).</summary>
    public const string Anonymous = "anonymous";
    public const string AnonymousRole = "Anonymous";
}
