namespace CaseHandling.Server.Infrastructure.Mail;

/// <summary>SMTP settings (MailKit). With <see cref="PickupDirectory"/> set, mails are written there as .eml files instead.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 25;
    /// <summary>None, StartTls, StartTlsWhenAvailable, SslOnConnect or Auto (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "CaseHandling <noreply@casehandling.invalid>";
    public string? PickupDirectory { get; set; }
    public int TimeoutSeconds { get; set; } = 30;
}
