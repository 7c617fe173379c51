using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Features.Shared;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// The settings of the rules the administrator manages: the extended regime's date, extra holidays, the deadline policy, and the
/// incident register's (the date its report duty applies from, how reports reach the Inspectorate, the Inspectorate's intake
/// address, the register's retention period).
/// </summary>
public sealed record SettingsView(string? ExtendedRegimeEffectiveFrom, IReadOnlyList<string> ExtraHolidays, IReadOnlyDictionary<string, string> DeadlinePolicy,
    string? IncidentRegisterEffectiveFrom = null, string? IncidentReportDelivery = null, string? InspectieIntakeEmail = null, string? IncidentRetentionPeriod = null);

/// <summary>Reads the settings in force (configuration overlaid with what was changed here).</summary>
public sealed record GetSettings : IQuery<Result<SettingsView>>;

public sealed class GetSettingsHandler(RulesProvider rules, CaseHandlingDbContext db, IOptions<NotificationOptions> notifications, IOptions<RetentionOptions> retention)
    : IQueryHandler<GetSettings, Result<SettingsView>>
{
    public async ValueTask<Result<SettingsView>> Handle(GetSettings q, CancellationToken ct)
    {
        var stored = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
        var o = rules.Options(stored);
        var policy = rules.Build(stored).Policy.Rules.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        var intake = stored.TryGetValue(RulesProvider.InspectieIntakeKey, out var i) && i.Length > 0 ? i : notifications.Value.InspectieIntakeEmail;
        var period = RulesProvider.Retention(retention.Value, stored).Periods[Domain.Retention.RetentionOutcome.IncidentRegister].ToString();
        return new SettingsView(o.ExtendedRegimeEffectiveFrom, o.ExtraHolidays, policy, o.IncidentRegisterEffectiveFrom, o.IncidentReportDelivery, intake, period);
    }
}

/// <summary>
/// Changes settings; only the fields given change. Validated by building the rules from them: a bad value
/// names its field (400). A changed deadline applies to duties opened from now on; open duties keep their due time.
/// </summary>
public sealed record UpdateSettings(string? ExtendedRegimeEffectiveFrom, IReadOnlyList<string>? ExtraHolidays, IReadOnlyDictionary<string, string>? DeadlinePolicy,
    string? IncidentRegisterEffectiveFrom = null, string? IncidentReportDelivery = null, string? InspectieIntakeEmail = null, string? IncidentRetentionPeriod = null)
    : ICommand<Result<SettingsView>>, IValidatable
{
    /// <summary>The shortest retention period of the register the administrator may set: the report duty and its escalations need the incident.</summary>
    public const int MinimumRetentionDays = 90;

    public IEnumerable<(string Field, string Message)> Validate() =>
        (InspectieIntakeEmail is null ? [] : Check.Email("inspectieIntakeEmail", InspectieIntakeEmail))
        .Concat(IncidentRetentionPeriod is null ? Array.Empty<(string, string)>()
            : Domain.Deadlines.DeadlineRule.TryParse(IncidentRetentionPeriod.Trim(), out var period) && period switch
            {
                Domain.Deadlines.DeadlineRule.CalendarMonths months => months.Count * 30 >= MinimumRetentionDays,
                Domain.Deadlines.DeadlineRule.CalendarDays days => days.Count >= MinimumRetentionDays,
                _ => false,
            }
                ? []
                : [("incidentRetentionPeriod", $"Months or days, at least {MinimumRetentionDays} days, e.g. 24mo or 730d.")])
        .Concat(
        (IncidentRegisterEffectiveFrom is { Length: > 0 } r && !DateOnly.TryParseExact(r, "yyyy-MM-dd", out _)
            ? [("incidentRegisterEffectiveFrom", "A date as yyyy-MM-dd, or empty to switch the incident register's duties off.")]
            : Array.Empty<(string, string)>())
        .Concat(IncidentReportDelivery is { } d2 && !Enum.TryParse<Domain.Incidents.ReportDelivery>(d2, out _)
            ? [("incidentReportDelivery", "RecordOnly or MailToIntake.")]
            : Array.Empty<(string, string)>())
        .Concat(
        (ExtendedRegimeEffectiveFrom is { Length: > 0 } d && !DateOnly.TryParseExact(d, "yyyy-MM-dd", out _)
            ? [("extendedRegimeEffectiveFrom", "A date as yyyy-MM-dd, or empty to switch the extended regime off.")]
            : Array.Empty<(string, string)>())
        .Concat((ExtraHolidays ?? []).Where(h => !DateOnly.TryParseExact(h, "yyyy-MM-dd", out _)).Select(_ => ("extraHolidays", "Dates as yyyy-MM-dd.")))
        .Concat((DeadlinePolicy ?? new Dictionary<string, string>()).SelectMany(kv =>
            !Enum.TryParse<DutyKind>(kv.Key, out _)
                ? [($"deadlinePolicy.{kv.Key}", "Not a duty kind.")]
                : !Domain.Deadlines.DeadlineRule.TryParse(kv.Value, out _)
                    ? new[] { ($"deadlinePolicy.{kv.Key}", "Not a deadline rule (e.g. 4h, 2wd, 1wd@12:00, 7d, 3mo).") }
                    : []))));
}

public sealed class UpdateSettingsHandler(CaseHandlingDbContext db, UnitOfWork work, RulesProvider rules, CurrentUserAccessor current, TimeProvider time, IMediator mediator)
    : ICommandHandler<UpdateSettings, Result<SettingsView>>
{
    public async ValueTask<Result<SettingsView>> Handle(UpdateSettings cmd, CancellationToken ct)
    {
        var changes = new Dictionary<string, string>();
        if (cmd.ExtendedRegimeEffectiveFrom is not null) changes[RulesProvider.ExtendedRegimeKey] = cmd.ExtendedRegimeEffectiveFrom;
        if (cmd.IncidentRegisterEffectiveFrom is not null) changes[RulesProvider.IncidentRegisterKey] = cmd.IncidentRegisterEffectiveFrom;
        if (cmd.IncidentReportDelivery is not null) changes[RulesProvider.IncidentReportDeliveryKey] = cmd.IncidentReportDelivery;
        if (cmd.ExtraHolidays is not null) changes[RulesProvider.ExtraHolidaysKey] = string.Join(",", cmd.ExtraHolidays);
        if (cmd.InspectieIntakeEmail is not null) changes[RulesProvider.InspectieIntakeKey] = cmd.InspectieIntakeEmail.Trim();
        if (cmd.IncidentRetentionPeriod is not null) changes[RulesProvider.IncidentRetentionKey] = cmd.IncidentRetentionPeriod.Trim();
        foreach (var (kind, rule) in cmd.DeadlinePolicy ?? new Dictionary<string, string>())
            changes[RulesProvider.DeadlinePolicyPrefix + kind] = rule;

        var now = time.GetUtcNow();
        var me = current.Get();
        var user = me.UserId;
        foreach (var (key, value) in changes)
        {
            var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct);
            if (row is null) db.Settings.Add(row = new SystemSetting { Key = key });
            row.Value = value;
            row.UpdatedAt = now;
            row.UpdatedBy = user;
        }
        // The keys changed, never their values (a value can be an address).
        foreach (var key in changes.Keys.Order(StringComparer.Ordinal)) work.Audit(AuditSubjects.Settings, $"settings.changed:{key}", me);
        var saved = await work.CommitAsync("The settings", ct);
        if (!saved.IsSuccess) return saved.Error!;
        await rules.ReloadAsync(ct);
        return await mediator.Send(new GetSettings(), ct);
    }
}
