using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Mail;

/// <summary>
/// Every link that a mail carries is made here, from Notifications:PublicBaseUrl, and holds ids only (never a name,
/// a case's content or a receipt code). A case's link opens its portal page, a report's the meldpunt handler's
/// report page (after sign-in, the sign-in page sends the person on to it). The one exception to "ids
/// only" is the password-reset link, whose token is what that mail is for.
/// </summary>
public sealed class Links(IOptions<NotificationOptions> options)
{
    private string Base => options.Value.PublicBaseUrl.TrimEnd('/');

    public string Case(Guid caseId) => $"{Base}/portaal/zaken/{caseId}";

    /// <summary>A registered safety incident's page in the school's register.</summary>
    public string Incident(Guid incidentId) => $"{Base}/portaal/incidenten/{incidentId}";

    public string Report(Guid reportId) => $"{Base}/portaal/meldingen/{reportId}";

    /// <summary>The reset page for an account (its id, not its address) with Identity's reset token, in the reader's language.</summary>
    public string PasswordReset(string userId, string token, string lang) =>
        $"{Base}{PortalPaths.ResetPassword}?id={Uri.EscapeDataString(userId)}&token={Uri.EscapeDataString(token)}{(lang == "en" ? "&lang=en" : "")}";
}
