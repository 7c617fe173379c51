namespace CaseHandling.Data;

/// <summary>
/// A mail to send, written in the same transaction as the change that caused it, and delivered by a job.
/// It says that something needs attention and names the case by its number: never report content,
/// names or the incident type.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string ToAddress { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    /// <summary>Reminder, Escalation, …: for counting and the dashboard, not shown to anyone else.</summary>
    public string Kind { get; set; } = "";
    /// <summary>The case or report number the mail is about.</summary>
    public string Reference { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Set while a worker is sending; a claim that has expired is taken over (after a crash).</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>The kind of the last failure (exception type, SMTP status): never message content.</summary>
    public string? LastError { get; set; }
    /// <summary>
    /// Set when delivery was given up: the server refused the message for good (an SMTP 5xx), or every attempt failed.
    /// Such a mail is no longer tried and is listed for the administrator (docs/RELIABILITY.md), never silently dropped.
    /// </summary>
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>The Message-Id of every delivery attempt of this row: the same on a resend, so receivers can drop duplicates.</summary>
    public string MessageId => $"{Id:N}@casehandling.outbox";
}
