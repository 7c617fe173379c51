using CaseHandling.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CaseHandling.Server.Infrastructure.Mail;

/// <summary>One SMTP session for a batch of outbox messages.</summary>
public interface IMailSession : IAsyncDisposable
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>Opens mail sessions: SMTP through MailKit, or a pickup directory for local use.</summary>
public sealed class MailSender(IOptions<MailOptions> options)
{
    public async Task<IMailSession> OpenAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.PickupDirectory))
        {
            Directory.CreateDirectory(o.PickupDirectory);
            return new PickupSession(o);
        }
        var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        try
        {
            var security = Enum.TryParse<SecureSocketOptions>(o.Security, ignoreCase: true, out var s) ? s : SecureSocketOptions.Auto;
            await client.ConnectAsync(o.Host, o.Port, security, ct);
            if (!string.IsNullOrEmpty(o.Username)) await client.AuthenticateAsync(o.Username, o.Password ?? "", ct);
            return new SmtpSession(client, o);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    internal static MimeMessage ToMime(OutboxMessage m, MailOptions o)
    {
        var mime = new MimeMessage { Subject = m.Subject, MessageId = m.MessageId };
        mime.From.Add(MailboxAddress.Parse(o.From));
        mime.To.Add(MailboxAddress.Parse(m.ToAddress));
        mime.Body = new TextPart("plain") { Text = m.Body };
        return mime;
    }

    private sealed class SmtpSession(SmtpClient client, MailOptions o) : IMailSession
    {
        public async Task SendAsync(OutboxMessage message, CancellationToken ct) => await client.SendAsync(ToMime(message, o), ct);

        public async ValueTask DisposeAsync()
        {
            try { if (client.IsConnected) await client.DisconnectAsync(quit: true); }
            catch (Exception) { /* the session is over either way */ }
            client.Dispose();
        }
    }

    private sealed class PickupSession(MailOptions o) : IMailSession
    {
        public async Task SendAsync(OutboxMessage message, CancellationToken ct) =>
            await ToMime(message, o).WriteToAsync(Path.Combine(o.PickupDirectory!, $"{message.CreatedAt:yyyyMMdd-HHmmss}-{message.Id:N}.eml"), ct);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
