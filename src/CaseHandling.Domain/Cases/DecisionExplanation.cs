using System.Text.Json;
using System.Text.Json.Serialization;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Cases;

/// <summary>
/// One decision the system took about a case, stored beside the earlier ones (never overwritten): which regime and
/// matrix rule applied and on which article, and for every deadline it set, the policy rule, the start in Amsterdam
/// time, every day passed over and why, and the due instant. <see cref="Json"/> is the machine-readable form
/// (<see cref="Explanation"/>); it holds no content of the case, only rules, dates and classifications.
/// </summary>
public sealed class DecisionExplanation
{
    private DecisionExplanation() { } // EF

    public DecisionExplanation(Guid id, Guid caseId, int sequence, DateTimeOffset at, string decision, string json)
    {
        Id = id; CaseId = caseId; Sequence = sequence; At = at; Decision = decision; Json = json;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    /// <summary>1, 2, … in the order the decisions were taken.</summary>
    public int Sequence { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>"Opened", "Reclassified", or the step that opened duties (e.g. "StartConsultation").</summary>
    public string Decision { get; private set; } = "";
    public string Json { get; private set; } = "{}";

    public Explanation Read() => JsonSerializer.Deserialize<Explanation>(Json, Explanation.JsonOptions)!;
}

/// <summary>The explanation of one decision, as stored and as the API shows it.</summary>
public sealed record Explanation(
    string Decision,
    DateTimeOffset At,
    string BoardLearnedOn,
    RegimeRef Regime,
    SectorRef Sector,
    MatrixRuleRef? MatrixRule,
    string Coverage,
    string Reason,
    IReadOnlyList<DeadlineExplanation> Deadlines)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static Explanation Of(string decision, DateTimeOffset at, CaseFacts facts, MatrixDecision d, IReadOnlyList<DeadlineExplanation> deadlines)
    {
        var sector = SectorLaw.Of(facts.Sector);
        return new(decision, at, DutchTime.LocalDate(facts.BoardLearnedAt).ToString("yyyy-MM-dd"),
            new(d.Regime.Id, d.Regime.Name, d.Regime.EffectiveFrom.ToString("yyyy-MM-dd"), d.Regime.Source),
            new(facts.Sector.ToString(), sector.Article, sector.InForceFrom.ToString("yyyy-MM-dd"), sector.Source),
            d.Rule is { } r
                ? new(r.Incident.ToString(), r.Age?.ToString() ?? "any", r.Sector?.ToString() ?? "any", r.Coverage.ToString(),
                    r.Basis.Replace("{article}", sector.Article), r.Why)
                : null,
            d.Coverage.ToString(), d.Reason, deadlines);
    }
}

public sealed record RegimeRef(string Id, string Name, string EffectiveFrom, string Source);

public sealed record SectorRef(string Sector, string Article, string InForceFrom, string Source);

/// <summary>The row of the matrix that applied, with the article it rests on.</summary>
public sealed record MatrixRuleRef(string Incident, string VictimAge, string Sector, string Coverage, string Article, string Why);

/// <summary>How one deadline was set.</summary>
public sealed record DeadlineExplanation(
    string Duty,
    int Step,
    string LegalBasis,
    string PolicyRule,
    string PolicySetting,
    string StartAmsterdam,
    IReadOnlyList<SkippedDayRef> SkippedDays,
    IReadOnlyList<string> Notes,
    string DueAmsterdam,
    DateTimeOffset DueUtc)
{
    public static DeadlineExplanation Of(Duty duty, DeadlineRule rule, DeadlineComputation c) =>
        new(duty.Kind.ToString(), duty.Step, duty.LegalBasis, rule.ToString(), $"Rules:DeadlinePolicy:{duty.Kind}",
            Amsterdam(c.Start), c.Skipped.Select(s => new SkippedDayRef(s.Date.ToString("yyyy-MM-dd"), s.Reason)).ToList(), c.Notes,
            Amsterdam(c.Due), c.Due);

    /// <summary>An instant as Amsterdam clocks show it, with the offset: 2026-04-27T09:00:00+02:00.</summary>
    public static string Amsterdam(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, DutchTime.Amsterdam).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record SkippedDayRef(string Date, string Reason);
