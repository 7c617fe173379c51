using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>The settings of the rules the administrator manages: the extended regime's date, extra holidays, the deadline policy.</summary>
public sealed record SettingsView(string? ExtendedRegimeEffectiveFrom, IReadOnlyList<string> ExtraHolidays, IReadOnlyDictionary<string, string> DeadlinePolicy,
    string? IncidentRegisterEffectiveFrom = null, string? IncidentReportDelivery = null);

/// <summary>Reads the settings in force (configuration overlaid with what was changed here).</summary>
public sealed record GetSettings : IQuery<Result<SettingsView>>;

public sealed class GetSettingsHandler(RulesProvider rules, CaseHandlingDbContext db) : IQueryHandler<GetSettings, Result<SettingsView>>
{
    public async ValueTask<Result<SettingsView>> Handle(GetSettings q, CancellationToken ct)
    {
        var stored = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
        var o = rules.Options(stored);
        var policy = rules.Build(stored).Policy.Rules.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        return new SettingsView(o.ExtendedRegimeEffectiveFrom, o.ExtraHolidays, policy, o.IncidentRegisterEffectiveFrom, o.IncidentReportDelivery);
    }
}

/// <summary>
/// Changes settings; only the fields given change. Validated by building the rules from them: a bad value
/// names its field (400). A changed deadline applies to duties opened from now on; open duties keep their due time.
/// </summary>
public sealed record UpdateSettings(string? ExtendedRegimeEffectiveFrom, IReadOnlyList<string>? ExtraHolidays, IReadOnlyDictionary<string, string>? DeadlinePolicy,
    string? IncidentRegisterEffectiveFrom = null, string? IncidentReportDelivery = null)
    : ICommand<Result<SettingsView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
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
                    : [])));
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
        foreach (var (kind, rule) in cmd.DeadlinePolicy ?? new Dictionary<string, string>())
            changes[RulesProvider.DeadlinePolicyPrefix + kind] = rule;

        var now = time.GetUtcNow();
        var user = current.Get().UserId;
        foreach (var (key, value) in changes)
        {
            var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct);
            if (row is null) db.Settings.Add(row = new SystemSetting { Key = key });
            row.Value = value;
            row.UpdatedAt = now;
            row.UpdatedBy = user;
        }
        var saved = await work.CommitAsync("The settings", ct);
        if (!saved.IsSuccess) return saved.Error!;
        await rules.ReloadAsync(ct);
        return await mediator.Send(new GetSettings(), ct);
    }
}
