using CaseHandling.Data;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Mail;

/// <summary>
/// The notice of a reply (docs/MELDPUNT.md): one fixed message, "there is a new message at the meldpunt; sign in with your
/// code", to the address a reporter left. It names no institution, case or report, and is the same for every reporter.
/// The address is never written into the outbox: the row names the report, and delivery opens the report's sealed address
/// at the moment of sending. A reporter who removed it, or a report closed or erased since, gets nothing; the row goes.
/// </summary>
public sealed class ReplyNotice(IOptions<NotificationOptions> options, TimeProvider time)
{
    public const string MailKind = "ReplyNotice";
    private const string AddressPrefix = "report-notice:";

    public const string Subject = "Nieuw bericht bij het meldpunt / New message at the meldpunt";

    public static string Body(string link) =>
        "Er is een nieuw bericht voor u bij het meldpunt. Lees het met uw ontvangstcode op:\n" + link + "\n\n" +
        "There is a new message for you at the meldpunt. Read it with your receipt code at:\n" + link + "\n\n" +
        "U krijgt dit bericht omdat u bij uw melding dit e-mailadres opgaf. U kunt het adres met uw code weer verwijderen.\n" +
        "You receive this because you gave this address with your report. You can remove it with your code.\n";

    /// <summary>The outbox row for one handler's message: the report's id where an address would be.</summary>
    public OutboxMessage For(Guid reportId)
    {
        var now = time.GetUtcNow();
        var link = (options.Value.ReporterBaseUrl ?? options.Value.PublicBaseUrl).TrimEnd('/') + "/opvolgen";
        return new OutboxMessage
        {
            Id = Guid.CreateVersion7(now), CreatedAt = now, NextAttemptAt = now,
            ToAddress = AddressPrefix + reportId.ToString("N"), Subject = Subject, Body = Body(link), Kind = MailKind, Reference = "",
        };
    }

    /// <summary>
    /// The message as it is to be sent, with the reporter's address opened just now; null when there is no one to tell any
    /// more (the address removed, the report closed or erased). Other mail passes unchanged.
    /// </summary>
    public static async Task<OutboxMessage?> ResolveAsync(OutboxMessage m, CaseHandlingDbContext db, DataKeys keys, CancellationToken ct)
    {
        if (!m.ToAddress.StartsWith(AddressPrefix, StringComparison.Ordinal)) return m;
        if (!Guid.TryParseExact(m.ToAddress[AddressPrefix.Length..], "N", out var reportId)) return null;
        using var scope = KeyScope.Begin();
        await keys.PreloadAsync([reportId], ct);
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId && r.ErasedAt == null, ct);
        if (report is not { WantsNotice: true }) return null;
        return new OutboxMessage
        {
            Id = m.Id, CreatedAt = m.CreatedAt, ToAddress = report.NoticeEmail!, Subject = m.Subject, Body = m.Body, Kind = m.Kind,
            Reference = m.Reference, Attempts = m.Attempts, NextAttemptAt = m.NextAttemptAt, ClaimedUntil = m.ClaimedUntil,
        };
    }
}
