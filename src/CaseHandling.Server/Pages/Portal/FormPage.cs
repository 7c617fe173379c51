using System.Globalization;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Workflow;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Security;

namespace CaseHandling.Server.Pages.Portal;

/// <summary>
/// A portal page with forms or the domain's words, in any area: the words for the domain's states and steps, times in
/// Dutch time, the fields' ids and errors, and the one way an expected failure of a command is shown on a page.
/// </summary>
public abstract class FormPage : PortalPage
{
    /// <summary>The form whose fields carry errors (several forms share a page; their fields are prefixed with its name).</summary>
    public string? FailedForm { get; protected set; }

    /// <summary>Said above the forms: a step that is not possible now, or a concurrent change.</summary>
    public string? StepProblem { get; protected set; }

    public string State(CaseState s) => T["state." + s];
    public string Step(CaseTrigger t) => T["trigger." + t];
    public string Word<TEnum>(TEnum value) where TEnum : struct, Enum => T["enum." + typeof(TEnum).Name + "." + value];

    /// <summary>A moment in Dutch time, as a person reads it ("30 november 2026 14:05").</summary>
    public static string When(DateTimeOffset at) => DutchTime.ToLocal(at).ToString("d MMMM yyyy HH:mm", CultureInfo.CurrentCulture);

    public static string Day(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>"nog 3 uur", "2 werkdagen te laat".</summary>
    public string Distance(DateTimeOffset due)
    {
        var rules = HttpContext.RequestServices.GetRequiredService<RulesProvider>().Current;
        var now = HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var d = DueDistance.Between(now, due, rules.Calendar);
        var unit = T[$"distance.{d.Unit}.{(d.Count == 1 ? "one" : "many")}"];
        return T.Format(d.Late ? "distance.late" : "distance.left", d.Count, unit);
    }

    /// <summary>
    /// Shows an expected failure: field errors next to the fields of <paramref name="form"/>; a step that is not possible
    /// now, in words. Returns false for "not found", which the caller answers with a plain 404.
    /// </summary>
    protected bool ShowError(Error error, string form, Func<CaseState?>? currentState = null)
    {
        // What was typed stays in the form whatever went wrong (a long reasoning is not lost to a concurrent change).
        FailedForm = form;
        switch (error)
        {
            case ValidationFailed v:
                foreach (var (field, messages) in v.Fields) Errors[FieldId(form, field)] = T.Error(field, messages[0]);
                break;
            case Domain.Common.NotFound:
                return false;
            case InvalidTransition t:
                StepProblem = NotNow(t.Current, t.Allowed);
                break;
            case ConcurrencyConflict:
                StepProblem = T["step.changed"];
                break;
            case Forbidden:
                StepProblem = T["step.notyours"];
                break;
            default:
                StepProblem = T["step.refused"];
                break;
        }
        Response.StatusCode = error is ValidationFailed ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        return true;
    }

    public string NotNow(CaseState current, IReadOnlyList<CaseTrigger> allowed) => T.Format("step.notnow", State(current)) + " " + NextSteps(current, allowed);

    /// <summary>What may happen next, and whose turn it is: "Nu aan zet: de vertrouwensinspecteur (…)".</summary>
    public string NextSteps(CaseState current, IReadOnlyList<CaseTrigger> allowed)
    {
        if (allowed.Count == 0) return T["step.nothingnext"];
        var byRole = allowed
            .Select(t => (Trigger: t, By: Transitions.Table.FirstOrDefault(x => x.From == current && x.Trigger == t)?.By))
            .GroupBy(x => x.By)
            .Select(g => (g.Key is { } role ? T["turn." + role] : "") + " (" + string.Join("; ", g.Select(x => Step(x.Trigger))) + ")");
        return T.Format("step.next", string.Join(", ", byRole));
    }

    public static string FieldId(string form, string field) => $"{form}-{field.Replace('.', '-')}";

    public string? ErrorAt(string form, string field) => ErrorFor(FieldId(form, field));

    /// <summary>aria-describedby for a field: its hint and its error, when there are.</summary>
    public string? Described(string form, string field, bool hint = false)
    {
        var id = FieldId(form, field);
        return base.Described(id, hint ? id + "-hint" : null);
    }

    // Form values arrive as text: a value that does not parse is treated as missing, so the command's own
    // validation names the field (the same message the API gives), never a 500 or a binder error.
    protected static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && Plausible(d.Year) ? d : null;

    /// <summary>A year a case can be about; anything else is a typing error (and year 1 would not convert to UTC).</summary>
    private static bool Plausible(int year) => year is >= 1900 and <= 2999;

    /// <summary>A datetime-local input ("2026-11-30T14:05"), read as Dutch time.</summary>
    protected static DateTimeOffset? ParseLocal(string? text) =>
        DateTime.TryParseExact(text?.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            && Plausible(t.Year) ? DutchTime.FromLocal(DateOnly.FromDateTime(t), TimeOnly.FromDateTime(t)) : null;

    protected static TEnum? ParseEnum<TEnum>(string? text) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(text, ignoreCase: false, out var v) && Enum.IsDefined(v) && !int.TryParse(text, out _) && text!.IndexOf(',') < 0 ? v : null;

    /// <summary>The same for the forms' own parsing.</summary>
    public static TEnum? Choice<TEnum>(string? text) where TEnum : struct, Enum => ParseEnum<TEnum>(text);

    protected static uint? ParseVersion(string? text) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The value for a datetime-local input: now, in Dutch time, to the minute.</summary>
    public string NowLocalInput() =>
        DutchTime.ToLocal(HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public string TodayInput() =>
        DutchTime.LocalDate(HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
