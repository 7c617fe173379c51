using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Workflow;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Cases;

/// <summary>The values a step's form posts; each form uses some of them.</summary>
public sealed class StepForm
{
    public string? Version { get; set; }
    public string? InspectorId { get; set; }
    public string? FactsGiven { get; set; }
    public string? Outcome { get; set; }
    public string? Reasoning { get; set; }
    public string? InformationExpectedBy { get; set; }
    public string? InformedAt { get; set; }
    public List<string> Parties { get; set; } = [];
    public string? How { get; set; }
    public string? Reason { get; set; }
    public string? FiledOn { get; set; }
    public string? PoliceUnit { get; set; }
    public string? RegistrationNumber { get; set; }
    public string? NotifiedOn { get; set; }
    public string? FollowUp { get; set; }
    public string? Hold { get; set; }
}

/// <summary>
/// A case as the board or the vertrouwensinspecteur sees it: the facts, the regime and why, every duty with its legal
/// basis, the timeline and who has seen it; and a form for each step the transition table allows this role now. Every
/// view is the GetCase query, which records the read in the audit trail; every step is the API's command.
/// </summary>
[Authorize(Policy = Policies.CaseReader)]
public sealed class CasePageModel(IMediator mediator) : FormPage
{
    [FromRoute] public Guid Id { get; set; }

    public const string SavedKey = "portal.saved";

    /// <summary>The step just saved, shown once after the redirect.</summary>
    public string? Saved { get; private set; }

    [BindProperty(Name = "step")] public StepForm Input { get; set; } = new();

    public CaseDetail Case { get; private set; } = null!;
    public IReadOnlyList<AccessLogEntry> AccessLog { get; private set; } = [];
    public IReadOnlyList<InspectorView> Inspectors { get; private set; } = [];
    public bool Missing { get; private set; }

    /// <summary>The most recent entries of the access log that the page shows (the API gives the whole log).</summary>
    public const int AccessLogShown = 50;

    /// <summary>The steps this person may take now: the transition table's moves from this state, for this role.</summary>
    public IReadOnlyList<CaseTrigger> MySteps => Case.AllowedNext
        .Where(t => Transitions.Table.Any(x => x.Trigger == t && x.From == Case.State && x.By == Role)).ToList();

    /// <summary>The outcomes the inspector may record now (step 3), in the order of the form.</summary>
    public IReadOnlyList<OverlegOutcome> Outcomes => MySteps.Select(t => t switch
    {
        CaseTrigger.ConcludeReasonableSuspicion => OverlegOutcome.ReasonableSuspicion,
        CaseTrigger.ConcludeSexualHarassment => OverlegOutcome.SexualHarassment,
        CaseTrigger.ConcludeNoReasonableSuspicion => OverlegOutcome.NoReasonableSuspicion,
        CaseTrigger.RequestMoreInformation => OverlegOutcome.MoreInformationNeeded,
        _ => (OverlegOutcome?)null,
    }).OfType<OverlegOutcome>().ToList();

    /// <summary>
    /// Who the board may name in step 4 for this victim (Informing): a minor's parents or guardians, and the student as
    /// well; an adult's own person, never the parents. The accused always.
    /// </summary>
    public IReadOnlyList<InformedParty> InformableParties => Case.VictimAge == VictimAge.Minor
        ? [InformedParty.Parents, InformedParty.Student, InformedParty.Accused]
        : [InformedParty.Student, InformedParty.Accused];

    public string PartiesHint => T[Case.VictimAge == VictimAge.Minor ? "form.parties.hint.minor" : "form.parties.hint.adult"];

    /// <summary>An instant of an explanation (ISO 8601 with Amsterdam's offset) in the page's words.</summary>
    public static string WhenIso(string iso) => When(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));

    public string? SavedText => Saved is null ? null : T.Maybe("saved." + Saved);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Saved = TempData[SavedKey] as string;
        return await Show(ct);
    }

    private bool FormStillPossible(string form) => form switch
    {
        "StartOverleg" => MySteps.Contains(CaseTrigger.StartOverleg),
        "Outcome" => Outcomes.Count > 0,
        "InformParties" => MySteps.Contains(CaseTrigger.InformParties),
        "InformingImpossible" => MySteps.Contains(CaseTrigger.RecordInformingImpossible),
        "Aangifte" => MySteps.Contains(CaseTrigger.FileAangifte),
        "AangifteNotification" => MySteps.Contains(CaseTrigger.NotifyInspectorOfAangifte),
        "FollowUp" => MySteps.Contains(CaseTrigger.RecordFollowUp),
        _ => Role == StaffRole.Board,
    };

    public Task<IActionResult> OnPostStartOverlegAsync(CancellationToken ct) =>
        Run("StartOverleg", new StartOverleg(Id, Blank(Input.InspectorId), Input.FactsGiven, Version), ct);

    public Task<IActionResult> OnPostOutcomeAsync(CancellationToken ct) =>
        Run("Outcome", new RecordOutcome(Id, ParseEnum<OverlegOutcome>(Input.Outcome), Input.Reasoning, ParseDate(Input.InformationExpectedBy), Version), ct);

    public Task<IActionResult> OnPostInformPartiesAsync(CancellationToken ct) =>
        Run("InformParties", new InformParties(Id, ParseLocal(Input.InformedAt),
            Input.Parties.Select(ParseEnum<InformedParty>).OfType<InformedParty>().ToList(), Input.How, Version), ct);

    public Task<IActionResult> OnPostInformingImpossibleAsync(CancellationToken ct) =>
        Run("InformingImpossible", new RecordInformingImpossible(Id, Input.Reason, Version), ct);

    public Task<IActionResult> OnPostAangifteAsync(CancellationToken ct) =>
        Run("Aangifte", new FileAangifte(Id, ParseDate(Input.FiledOn), Input.PoliceUnit, Input.RegistrationNumber, Version), ct);

    public Task<IActionResult> OnPostAangifteNotificationAsync(CancellationToken ct) =>
        Run("AangifteNotification", new NotifyInspectorOfAangifte(Id, ParseDate(Input.NotifiedOn), Version), ct);

    public Task<IActionResult> OnPostFollowUpAsync(CancellationToken ct) =>
        Run("FollowUp", new RecordFollowUp(Id, ParseEnum<FollowUp>(Input.FollowUp), Input.Reasoning, Version), ct);

    public async Task<IActionResult> OnPostLegalHoldAsync(CancellationToken ct) =>
        Role != StaffRole.Board ? Forbid()
        : await Run("LegalHold", new SetLegalHold(Id, Input.Hold switch { "true" => true, "false" => false, _ => null }, Version), ct);

    /// <summary>A post that names no step (or one that does not exist) changes nothing.</summary>
    public IActionResult OnPost() => NotFound();

    private uint? Version => ParseVersion(Input.Version);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private async Task<IActionResult> Run(string form, ICommand<Result<CaseRef>> command, CancellationToken ct)
    {
        var result = await mediator.Send(command, ct);
        // Post, redirect, get: a reload shows the case, it does not send the step again.
        if (result.IsSuccess)
        {
            // The confirmation travels in TempData (the signed-in person's own protected cookie), not in the URL, so a
            // link cannot make a page say that a step was saved.
            TempData[SavedKey] = form;
            return Redirect($"/portaal/zaken/{Id}");
        }
        var error = result.Error!;
        if (!ShowError(error, form)) return await Show(ct);
        var status = Response.StatusCode;
        var shown = await Show(ct);
        // A concurrent change: say what the case is now and what may happen next, in words; or, when this step is
        // still possible, that the person can look at the change and send it again (what was typed is kept).
        if (error is ConcurrencyConflict && !Missing)
            StepProblem = T["step.changed"] + " " + (FormStillPossible(form) ? T["step.again"] : NotNow(Case.State, Case.AllowedNext));
        if (!Missing) Response.StatusCode = status;
        return shown;
    }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var found = await mediator.Send(new GetCase(Id), ct);
        if (!found.IsSuccess)
        {
            // Another institution's case, or none: the same plain "not found" (never "not yours").
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Case = found.Value!;
        AccessLog = Loaded(await mediator.Send(new GetAccessLog(Id, AccessLogShown), ct));
        if (MySteps.Contains(CaseTrigger.StartOverleg))
            Inspectors = Loaded(await mediator.Send(new ListInspectors(), ct));
        return Page();
    }

    /// <summary>A timeline entry's details as label and text, for the fields the texts know; ids are left out.</summary>
    public IEnumerable<(string Label, string Text)> Details(JsonElement details)
    {
        if (details.ValueKind != JsonValueKind.Object) yield break;
        foreach (var p in details.EnumerateObject())
        {
            if (T.Maybe("detail." + p.Name) is not { } label) continue;
            var text = p.Value.ValueKind switch
            {
                JsonValueKind.Array => string.Join(", ", p.Value.EnumerateArray().Select(v => v.ToString()).Select(v => T.Maybe("value." + v) ?? v)),
                JsonValueKind.True => T["yes"],
                JsonValueKind.False => T["no"],
                JsonValueKind.String when p.Value.TryGetDateTimeOffset(out var at) && p.Value.GetString()!.Contains('T') => When(at),
                JsonValueKind.String when DateOnly.TryParseExact(p.Value.GetString(), "yyyy-MM-dd", out var day) => Day(day),
                // Values that are a domain's names are shown in words; free text (facts, reasoning) as written.
                JsonValueKind.String when p.Name == "parties" => string.Join(", ", p.Value.GetString()!.Split(',').Select(v => T.Maybe("enum.InformedParty." + v.Trim()) ?? v)),
                JsonValueKind.String when p.Name == "outcome" => T.Maybe("enum.OverlegOutcome." + p.Value.GetString()) ?? p.Value.GetString()!,
                JsonValueKind.String when p.Name == "followUp" => T.Maybe("enum.FollowUp." + p.Value.GetString()) ?? p.Value.GetString()!,
                JsonValueKind.String when p.Name is "from" or "to" => T.Maybe("enum.IncidentType." + p.Value.GetString()) ?? p.Value.GetString()!,
                _ => p.Value.ToString(),
            };
            yield return (label, text);
        }
    }

    public string Event(string kind) => T.Maybe("event." + kind) ?? kind;
}
