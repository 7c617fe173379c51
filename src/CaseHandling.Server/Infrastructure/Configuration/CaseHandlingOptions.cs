using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Server.Infrastructure.Configuration;

/// <summary>Settings of the rules: regime dates, deadline policy, extra holidays. See docs/CONFIGURATION.md.</summary>
public sealed class RulesOptions
{
    public const string Section = "Rules";

    /// <summary>
    /// The date from which the extended regime (bill 36 777: seksuele intimidatie, adult students) applies,
    /// by the date the board learned of the matter. Empty switches the extended regime off.
    /// The default applies it, as the users asked.
    /// </summary>
    public string? ExtendedRegimeEffectiveFrom { get; set; } = "2024-01-01";

    /// <summary>
    /// The date from which the incident register's duties apply (bill 36 777: register every safety incident, report serious or
    /// recurring ones to the Inspectorate), by the day the incident occurred. Empty (the default): off, as the bill is not in
    /// force; incidents can be registered, and no report duty opens.
    /// </summary>
    public string? IncidentRegisterEffectiveFrom { get; set; }

    /// <summary>How a report to the Inspectorate is made: "RecordOnly" (the board reports by its own channel and records it here) or "MailToIntake".</summary>
    public string IncidentReportDelivery { get; set; } = nameof(Domain.Incidents.ReportDelivery.RecordOnly);

    /// <summary>Deadline per duty kind, e.g. "StartOverleg": "1wd@12:00". Missing kinds keep the defaults of the duty table.</summary>
    public Dictionary<string, string> DeadlinePolicy { get; set; } = new();

    /// <summary>Days added by decree (Algemene termijnenwet art. 3 lid 2), as yyyy-MM-dd.</summary>
    public List<string> ExtraHolidays { get; set; } = [];

    /// <summary>Reminders before a duty falls due and the escalation interval once it is overdue.</summary>
    public ReminderOptions Reminders { get; set; } = new();

    public sealed class ReminderOptions
    {
        public bool AtMidpoint { get; set; } = true;
        public int WorkingDaysBefore { get; set; } = 1;
        public int HoursBeforeHourDeadlines { get; set; } = 1;
        public string EscalationInterval { get; set; } = "1wd";
    }

    /// <summary>Builds the rules, failing at start-up with a message naming the bad setting.</summary>
    public DutyRules Build()
    {
        DateOnly? extended = string.IsNullOrWhiteSpace(ExtendedRegimeEffectiveFrom)
            ? null
            : DateOnly.TryParseExact(ExtendedRegimeEffectiveFrom, "yyyy-MM-dd", out var d)
                ? d
                : throw new InvalidOperationException($"{Section}:ExtendedRegimeEffectiveFrom must be yyyy-MM-dd or empty.");

        DateOnly? incidents = string.IsNullOrWhiteSpace(IncidentRegisterEffectiveFrom)
            ? null
            : DateOnly.TryParseExact(IncidentRegisterEffectiveFrom, "yyyy-MM-dd", out var id)
                ? id
                : throw new InvalidOperationException($"{Section}:IncidentRegisterEffectiveFrom must be yyyy-MM-dd or empty.");
        if (!Enum.TryParse<Domain.Incidents.ReportDelivery>(IncidentReportDelivery, ignoreCase: true, out var delivery))
            throw new InvalidOperationException($"{Section}:IncidentReportDelivery must be RecordOnly or MailToIntake.");

        var overrides = new Dictionary<DutyKind, DeadlineRule>();
        foreach (var (key, value) in DeadlinePolicy)
        {
            if (!Enum.TryParse<DutyKind>(key, ignoreCase: true, out var kind))
                throw new InvalidOperationException($"{Section}:DeadlinePolicy:{key} is not a duty kind ({string.Join(", ", Enum.GetNames<DutyKind>())}).");
            if (!DeadlineRule.TryParse(value, out var rule) || rule is null)
                throw new InvalidOperationException($"{Section}:DeadlinePolicy:{key} is not a deadline rule (e.g. 4h, 2wd, 1wd@12:00, 7d, 3mo).");
            overrides[kind] = rule;
        }

        var extra = ExtraHolidays.Select(s => DateOnly.TryParseExact(s, "yyyy-MM-dd", out var day)
            ? day
            : throw new InvalidOperationException($"{Section}:ExtraHolidays contains '{s}', which is not yyyy-MM-dd."));

        if (!DeadlineRule.TryParse(Reminders.EscalationInterval, out var interval) || interval is DeadlineRule.Hours { Count: 0 })
            throw new InvalidOperationException($"{Section}:Reminders:EscalationInterval is not a positive deadline rule (e.g. 1wd, 4h).");
        var reminders = new ReminderPolicy(Reminders.AtMidpoint, Math.Max(0, Reminders.WorkingDaysBefore), Math.Max(0, Reminders.HoursBeforeHourDeadlines), interval);

        return new DutyRules(DutyMatrix.Create(extended), new DeadlinePolicy(overrides), WorkingDayCalendar.Atw(extra), reminders, incidents, delivery);
    }
}

public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Production setting: every role must sign in with TOTP two-factor authentication.</summary>
    public bool RequireTwoFactor { get; set; }

    /// <summary>Production setting: the sign-in cookie is Secure always (the app runs behind TLS).</summary>
    public bool RequireHttps { get; set; }

    /// <summary>A staff session that has been idle this long ends (the cookie slides while the person works).</summary>
    public double IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>Every staff session ends this long after sign-in, however active: a stolen cookie is not good for ever.</summary>
    public double AbsoluteSessionHours { get; set; } = 8;
}
