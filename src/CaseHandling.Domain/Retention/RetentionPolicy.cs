using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Retention;

/// <summary>How a case or report ended; each kind has its own retention period (docs/RETENTION.md).</summary>
public enum RetentionOutcome
{
    /// <summary>Redelijk vermoeden, aangifte filed and the inspector notified (WPO/WVO/WEC/WEB/WHW chain, steps 5–6).</summary>
    Aangifte,
    /// <summary>Redelijk vermoeden where no aangifte duty applied (e.g. a voluntary overleg about a staff victim).</summary>
    ReasonableSuspicionWithoutAangifte,
    /// <summary>The overleg found seksuele intimidatie without a crime.</summary>
    SexualHarassment,
    /// <summary>The overleg found no redelijk vermoeden.</summary>
    NoReasonableSuspicion,
    /// <summary>Registered outside the duty matrix and closed without an overleg.</summary>
    OutsideChain,
    /// <summary>A meldpunt report, closed by the meldpunt (its content, if forwarded, lives on in the case).</summary>
    MeldpuntReport,
    /// <summary>A registered safety incident (bill 36 777), counted from its registration once no report to it is still owed.</summary>
    IncidentRegister,
}

/// <summary>
/// The retention period per outcome, counted from closing on the Amsterdam calendar. The defaults and their
/// reasoning are in docs/RETENTION.md; configuration may set each (Retention:Periods).
/// </summary>
public sealed record RetentionPolicy(IReadOnlyDictionary<RetentionOutcome, DeadlineRule> Periods)
{
    public static readonly RetentionPolicy Default = new(new Dictionary<RetentionOutcome, DeadlineRule>
    {
        [RetentionOutcome.Aangifte] = DeadlineRule.Parse("120mo"),
        [RetentionOutcome.ReasonableSuspicionWithoutAangifte] = DeadlineRule.Parse("60mo"),
        [RetentionOutcome.SexualHarassment] = DeadlineRule.Parse("60mo"),
        [RetentionOutcome.NoReasonableSuspicion] = DeadlineRule.Parse("24mo"),
        [RetentionOutcome.OutsideChain] = DeadlineRule.Parse("24mo"),
        [RetentionOutcome.MeldpuntReport] = DeadlineRule.Parse("12mo"),
        [RetentionOutcome.IncidentRegister] = DeadlineRule.Parse("24mo"),
    });

    /// <summary>The outcome of a case closed from <paramref name="closedFrom"/> (the rows into Closed of the transition table).</summary>
    public static RetentionOutcome OutcomeOf(CaseState closedFrom) => closedFrom switch
    {
        CaseState.InspectorNotified => RetentionOutcome.Aangifte,
        CaseState.ReasonableSuspicion => RetentionOutcome.ReasonableSuspicionWithoutAangifte,
        CaseState.SexualHarassmentFound => RetentionOutcome.SexualHarassment,
        CaseState.NoReasonableSuspicion => RetentionOutcome.NoReasonableSuspicion,
        CaseState.OutsideChain => RetentionOutcome.OutsideChain,
        _ => throw new ArgumentOutOfRangeException(nameof(closedFrom), closedFrom, "no transition into Closed starts here"),
    };

    /// <summary>When a subject closed at <paramref name="closedAt"/> with this outcome is due for erasure.</summary>
    public DateTimeOffset ErasableFrom(RetentionOutcome outcome, DateTimeOffset closedAt, WorkingDayCalendar calendar) =>
        (Periods.TryGetValue(outcome, out var rule) ? rule : Default.Periods[outcome]).DueFrom(closedAt, calendar);

    /// <summary>A policy from configuration text ("120mo", "730d"); unnamed outcomes keep their default.</summary>
    public static RetentionPolicy From(IReadOnlyDictionary<string, string> configured)
    {
        var periods = new Dictionary<RetentionOutcome, DeadlineRule>(Default.Periods);
        foreach (var (name, text) in configured)
        {
            if (!Enum.TryParse<RetentionOutcome>(name, ignoreCase: true, out var outcome))
                throw new FormatException($"Retention:Periods:{name} is not an outcome; expected one of {string.Join(", ", Enum.GetNames<RetentionOutcome>())}.");
            periods[outcome] = DeadlineRule.Parse(text);
        }
        return new RetentionPolicy(periods);
    }
}
