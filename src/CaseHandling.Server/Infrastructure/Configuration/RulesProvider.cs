using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Infrastructure.Configuration;

/// <summary>
/// The rules in force: the configuration file's <c>Rules</c> section, overlaid with what the administrator
/// changed at run time (table <c>system_settings</c>). Each request takes the snapshot current when it starts.
/// Other instances pick up a change within <see cref="RefreshEvery"/> (RulesRefresher).
/// </summary>
public sealed class RulesProvider(IConfiguration configuration, IServiceScopeFactory scopes)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);
    public const string ExtendedRegimeKey = "Rules:ExtendedRegimeEffectiveFrom";
    public const string IncidentRegisterKey = "Rules:IncidentRegisterEffectiveFrom";
    public const string IncidentReportDeliveryKey = "Rules:IncidentReportDelivery";
    public const string ExtraHolidaysKey = "Rules:ExtraHolidays";
    public const string DeadlinePolicyPrefix = "Rules:DeadlinePolicy:";
    /// <summary>The Inspectorate's intake address, overriding Notifications:InspectieIntakeEmail when the administrator set one.</summary>
    public const string InspectieIntakeKey = "Notifications:InspectieIntakeEmail";
    /// <summary>The incident register's retention period, overriding Retention:Periods:IncidentRegister when the administrator set one.</summary>
    public const string IncidentRetentionKey = "Retention:Periods:IncidentRegister";

    private volatile DutyRules? _current;
    private volatile IReadOnlyDictionary<string, string> _stored = new Dictionary<string, string>();

    /// <summary>The intake address in force: the administrator's, else the configuration's.</summary>
    public string InspectieIntakeEmail(Jobs.NotificationOptions configured) =>
        _stored.TryGetValue(InspectieIntakeKey, out var v) && v.Length > 0 ? v : configured.InspectieIntakeEmail;

    /// <summary>The retention policy in force: the configuration's periods, with the administrator's period for the incident register.</summary>
    public Domain.Retention.RetentionPolicy Retention(Jobs.RetentionOptions configured) => Retention(configured, _stored);

    public static Domain.Retention.RetentionPolicy Retention(Jobs.RetentionOptions configured, IReadOnlyDictionary<string, string> stored)
    {
        var periods = new Dictionary<string, string>(configured.Periods);
        if (stored.TryGetValue(IncidentRetentionKey, out var v) && v.Length > 0) periods[nameof(Domain.Retention.RetentionOutcome.IncidentRegister)] = v;
        return Domain.Retention.RetentionPolicy.From(periods);
    }

    public DutyRules Current => _current ??= Build(new Dictionary<string, string>());

    /// <summary>The options as configured, with the stored settings applied.</summary>
    public RulesOptions Options(IReadOnlyDictionary<string, string> stored)
    {
        var o = configuration.GetSection(RulesOptions.Section).Get<RulesOptions>() ?? new RulesOptions();
        if (stored.TryGetValue(ExtendedRegimeKey, out var date)) o.ExtendedRegimeEffectiveFrom = date;
        if (stored.TryGetValue(IncidentRegisterKey, out var incidents)) o.IncidentRegisterEffectiveFrom = incidents;
        if (stored.TryGetValue(IncidentReportDeliveryKey, out var delivery)) o.IncidentReportDelivery = delivery;
        if (stored.TryGetValue(ExtraHolidaysKey, out var days))
            o.ExtraHolidays = days.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var (key, value) in stored.Where(kv => kv.Key.StartsWith(DeadlinePolicyPrefix, StringComparison.Ordinal)))
            o.DeadlinePolicy[key[DeadlinePolicyPrefix.Length..]] = value;
        return o;
    }

    public DutyRules Build(IReadOnlyDictionary<string, string> stored) => Options(stored).Build();

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
        var stored = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
        _current = Build(stored);
        _stored = stored;
    }
}

/// <summary>Reloads the rules periodically, so that a change made on one instance reaches the others.</summary>
public sealed class RulesRefresher(RulesProvider rules, ILogger<RulesRefresher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RulesProvider.RefreshEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await rules.ReloadAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning("Reloading the rules failed ({Error})", e.GetType().Name); }
        }
    }
}
