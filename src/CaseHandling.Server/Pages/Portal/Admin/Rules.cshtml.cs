using System.Globalization;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Features.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Admin;

/// <summary>
/// The rules in force, for a lawyer to read: the regimes and their dates with every row of the matrix (reason and
/// article), each duty with its deadline under the policy in force, and the holidays that working days skip. Below, the
/// form for what the administrator may change (the same command as PUT /api/admin/settings).
/// </summary>
public sealed class RulesModel(IMediator mediator, TimeProvider time) : AdminPage
{
    public const string Path = "/portaal/beheer/regels";
    public const string Form = "settings";

    public RulesView Rules { get; private set; } = null!;
    public SettingsView Settings { get; private set; } = null!;

    /// <summary>The duty kinds whose deadline the policy sets: the chain's duties, then the meldpunt's service levels.</summary>
    public IReadOnlyList<DutyKind> PolicyKinds { get; private set; } = [];

    [BindProperty(Name = "extendedRegimeEffectiveFrom")] public string? ExtendedFrom { get; set; }
    [BindProperty(Name = "extraHolidays")] public string? ExtraHolidays { get; set; }
    [BindProperty(Name = "deadline")] public Dictionary<string, string?> Deadlines { get; set; } = new();
    // The incident register's settings (docs/INCIDENTS.md).
    [BindProperty(Name = "incidentRegisterEffectiveFrom")] public string? IncidentFrom { get; set; }
    [BindProperty(Name = "incidentReportDelivery")] public string? Delivery { get; set; }
    [BindProperty(Name = "inspectieIntakeEmail")] public string? IntakeEmail { get; set; }
    [BindProperty(Name = "incidentRetentionPeriod")] public string? IncidentRetention { get; set; }

    public bool Posted { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadSaved();
        await Load(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Posted = true;
        var current = Loaded(await mediator.Send(new GetSettings(), ct));
        // Only what was changed is sent: an untouched deadline stays whatever the configuration says, now and later.
        var from = ExtendedFrom?.Trim() ?? "";
        string? changedFrom = from == (current.ExtendedRegimeEffectiveFrom ?? "") ? null : from;
        var holidays = (ExtraHolidays ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        List<string>? changedHolidays = holidays.Order().SequenceEqual(current.ExtraHolidays.Order()) ? null : holidays;
        var changedPolicy = Deadlines
            .Where(kv => current.DeadlinePolicy.TryGetValue(kv.Key, out var now) && (kv.Value?.Trim() ?? "") != now)
            .ToDictionary(kv => kv.Key, kv => kv.Value?.Trim() ?? "");
        // A field the post did not carry is unchanged; one carried empty is "" (binding turns it into null, so the form is asked).
        string? Changed(string field, string? typed, string? now) =>
            !Request.Form.ContainsKey(field) || (typed?.Trim() ?? "") == (now ?? "") ? null : typed?.Trim() ?? "";
        var changedIncidentFrom = Changed("incidentRegisterEffectiveFrom", IncidentFrom, current.IncidentRegisterEffectiveFrom);
        var changedDelivery = Changed("incidentReportDelivery", Delivery, current.IncidentReportDelivery);
        var changedIntake = Changed("inspectieIntakeEmail", IntakeEmail, current.InspectieIntakeEmail);
        var changedRetention = Changed("incidentRetentionPeriod", IncidentRetention, current.IncidentRetentionPeriod);
        if (changedFrom is null && changedHolidays is null && changedPolicy.Count == 0
            && changedIncidentFrom is null && changedDelivery is null && changedIntake is null && changedRetention is null)
            return Done(Path, T["admin.rules.unchanged"]);

        var result = await mediator.Send(new UpdateSettings(changedFrom, changedHolidays, changedPolicy.Count == 0 ? null : changedPolicy,
            changedIncidentFrom, changedDelivery, changedIntake, changedRetention), ct);
        if (result.IsSuccess) return Done(Path, T["admin.rules.saved"]);
        ShowError(result.Error!, Form);
        if (result.Error is ValidationFailed v)
            foreach (var (field, messages) in v.Fields) Errors[FieldId(Form, field)] = Message(field, messages[0]);
        await Load(ct);
        return Page();
    }

    private string Message(string field, string message) =>
        message == "Required." ? T["err.required"]
        : field == "extendedRegimeEffectiveFrom" ? T["admin.err.regimeDate"]
        : field == "extraHolidays" ? T["admin.err.holidays"]
        : field == "incidentRegisterEffectiveFrom" ? T["admin.err.incidentDate"]
        : field == "incidentReportDelivery" ? T["admin.err.delivery"]
        : field == "inspectieIntakeEmail" ? T["admin.err.intakeEmail"]
        : field == "incidentRetentionPeriod" ? T.Format("admin.err.retentionPeriod", UpdateSettings.MinimumRetentionDays)
        : field.StartsWith("deadlinePolicy.", StringComparison.Ordinal) ? T["admin.err.deadline"]
        : T.Error(field, message);

    private async Task Load(CancellationToken ct)
    {
        Rules = Loaded(await mediator.Send(new GetRules(), ct));
        Settings = Loaded(await mediator.Send(new GetSettings(), ct));
        PolicyKinds = Settings.DeadlinePolicy.Keys.Select(k => Enum.Parse<DutyKind>(k)).OrderBy(k => k).ToList();
        foreach (var kind in PolicyKinds)
            FieldLabels[DeadlineField(kind)] = T.Format("admin.rules.deadlineOf", Word(kind));
        if (!Posted)
        {
            ExtendedFrom = Settings.ExtendedRegimeEffectiveFrom;
            ExtraHolidays = string.Join("\n", Settings.ExtraHolidays);
            Deadlines = Settings.DeadlinePolicy.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
            IncidentFrom = Settings.IncidentRegisterEffectiveFrom;
            Delivery = Settings.IncidentReportDelivery;
            IntakeEmail = Settings.InspectieIntakeEmail;
            IncidentRetention = Settings.IncidentRetentionPeriod;
        }
    }

    public static string DeadlineField(DutyKind kind) => FieldId(Form, "deadlinePolicy." + kind);

    /// <summary>The field's value: what was typed after a failed post, else what is in force.</summary>
    public string? DeadlineValue(DutyKind kind) => Deadlines.GetValueOrDefault(kind.ToString()) ?? Settings.DeadlinePolicy.GetValueOrDefault(kind.ToString());

    /// <summary>"4h" → "4 uur"; "1wd@12:00" → "1 werkdag later, om 12:00".</summary>
    public string InWords(string rule) => DeadlineRule.TryParse(rule, out var r) ? InWords(r) : rule;

    public string InWords(DeadlineRule rule) => rule switch
    {
        DeadlineRule.Hours h => T.Format(h.Count == 1 ? "admin.deadline.hour" : "admin.deadline.hours", h.Count),
        DeadlineRule.WorkingDays { At: { } at } w => T.Format(w.Count == 1 ? "admin.deadline.workingDayAt" : "admin.deadline.workingDaysAt", w.Count,
            at.ToString("HH:mm", CultureInfo.InvariantCulture)),
        DeadlineRule.WorkingDays w => T.Format(w.Count == 1 ? "admin.deadline.workingDay" : "admin.deadline.workingDays", w.Count),
        DeadlineRule.CalendarDays d => T.Format("admin.deadline.days", d.Count),
        DeadlineRule.CalendarMonths m => T.Format("admin.deadline.months", m.Count),
        _ => rule.ToString(),
    };

    /// <summary>"{article}" in a matrix row is the sector's article.</summary>
    public string Basis(string basis) => basis.Replace("{article}", T["admin.rules.sectorArticle"]);

    /// <summary>The years whose holidays are shown: this one and the next (Amsterdam date).</summary>
    public IReadOnlyList<int> Years
    {
        get
        {
            var year = DutchTime.LocalDate(time.GetUtcNow()).Year;
            return [year, year + 1];
        }
    }

    /// <summary>The statutory holidays and the decreed days of the shown years, and every added day, by date.</summary>
    public IReadOnlyList<(DateOnly Date, string? Name, bool Added)> Holidays =>
        Years.SelectMany(y => WorkingDayCalendar.StatutoryHolidays(y)).Select(h => (h.Date, (string?)h.Name, false))
            .Concat(Rules.DecreedDays.Where(d => Years.Contains(d.Date.Year)).Select(d => (d.Date, (string?)(d.Why + " (Atw art. 3 lid 3)"), false)))
            .Concat(Rules.ExtraHolidays.Select(d => (d, (string?)null, true)))
            .OrderBy(h => h.Item1).ToList();
}
