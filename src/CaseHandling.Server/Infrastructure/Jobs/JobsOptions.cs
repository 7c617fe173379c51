namespace CaseHandling.Server.Infrastructure.Jobs;

/// <summary>How this process takes part in background work. One build, three roles, so workers scale out separately.</summary>
public enum JobsMode
{
    /// <summary>API, pages and the Hangfire server in one process (the default).</summary>
    All,
    /// <summary>API and pages only; no background work runs here.</summary>
    Api,
    /// <summary>Background work only: the Hangfire server, no API or pages.</summary>
    Worker,
}

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    public JobsMode Mode { get; set; } = JobsMode.All;
    /// <summary>Cron of the deadline sweep (Hangfire's minimum is one minute).</summary>
    public string SweepCron { get; set; } = "* * * * *";
    /// <summary>Cron of the outbox delivery; delivery is also enqueued at once after a sweep that wrote mail.</summary>
    public string DeliveryCron { get; set; } = "* * * * *";
    /// <summary>Cron of the retention job (daily, at night, Amsterdam time is not needed: the periods are months).</summary>
    public string RetentionCron { get; set; } = "30 2 * * *";
    /// <summary>Duties per transaction of the sweep.</summary>
    public int SweepBatchSize { get; set; } = 1000;
    public int WorkerCount { get; set; } = 4;
    public double QueuePollSeconds { get; set; } = 15;
    public double SchedulePollSeconds { get; set; } = 15;

    public bool RunsServer => Mode != JobsMode.Api;
    public bool ServesHttp => Mode != JobsMode.Worker;
}

/// <summary>Who is told about reminders and escalations, and the base of the links in mails.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The inspectorate's address, used when a case's overleg has no named inspector with an address.</summary>
    public string InspectorateEmail { get; set; } = "vertrouwensinspectie@example.invalid";
    /// <summary>
    /// The Inspectorate's own intake of reports of serious or recurring safety incidents (bill 36 777), apart from the
    /// vertrouwensinspectie: reports go here when Rules:IncidentReportDelivery is MailToIntake, and overdue report duties escalate here.
    /// </summary>
    public string InspectieIntakeEmail { get; set; } = "meldingen-inspectie@example.invalid";
    /// <summary>The meld-/steunpunt's team address for its service levels.</summary>
    public string MeldpuntEmail { get; set; } = "meldpunt@example.invalid";
    /// <summary>The public address of this installation, for links in mails.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
    /// <summary>
    /// The reporter surface's public address, for the one link in the notice of a reply (docs/CLUSTER.md, "Two
    /// surfaces"); <see cref="PublicBaseUrl"/> when both surfaces share it.
    /// </summary>
    public string? ReporterBaseUrl { get; set; }
}
