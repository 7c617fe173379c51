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
    /// <summary>
    /// Attempts before a mail is given up and listed for the administrator. With the back-off (30 s doubling, at most an
    /// hour) the default of 12 keeps trying for about five hours: a mail server's maintenance window, not a lost mail.
    /// </summary>
    public int MaxAttempts { get; set; } = 12;
    /// <summary>The first back-off after a failed attempt; it doubles with each attempt, up to an hour.</summary>
    public double RetryAfterSeconds { get; set; } = 30;
}
