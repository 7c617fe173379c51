using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CaseHandling.Domain.Calendar;

namespace CaseHandling.Domain.Deadlines;

/// <summary>
/// A deadline rule of the policy: computes a due instant from a start instant, counting on the
/// Europe/Amsterdam wall clock. Text forms: <c>4h</c>, <c>2wd</c>, <c>1wd@12:00</c>, <c>7d</c>, <c>3mo</c>.
/// </summary>
public abstract record DeadlineRule
{
    private const string Expected = "expected '<n>h', '<n>wd', '<n>wd@HH:mm', '<n>d' or '<n>mo' with n a whole number >= 0";

    // Closed hierarchy: only the nested records below.
    private DeadlineRule() { }

    /// <summary>The due instant, in UTC (Offset 0).</summary>
    public DateTimeOffset DueFrom(DateTimeOffset start, WorkingDayCalendar calendar) => Compute(start, calendar).Due;

    /// <summary>The due instant and how it was reached: every day passed over and why, and the articles applied.</summary>
    public abstract DeadlineComputation Compute(DateTimeOffset start, WorkingDayCalendar calendar);

    /// <summary>The canonical text form, accepted by <see cref="Parse"/>.</summary>
    public abstract override string ToString();

    /// <summary>Parses a text form (trimmed, case-insensitive).</summary>
    /// <exception cref="FormatException">The text is not a rule.</exception>
    public static DeadlineRule Parse(string text) =>
        TryParse(text, out var rule, out var error)
            ? rule
            : throw new FormatException($"'{text}' is not a deadline rule: {error}; {Expected}.");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out DeadlineRule? rule) =>
        TryParse(text, out rule, out _);

    private static bool TryParse(string? text, [NotNullWhen(true)] out DeadlineRule? rule, out string error)
    {
        rule = null;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            error = "it is empty";
            return false;
        }

        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
            digits++;
        if (digits == 0)
        {
            error = "it does not start with a whole number";
            return false;
        }
        if (!int.TryParse(s[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = "the number is too large";
            return false;
        }

        var unit = s[digits..];
        TimeOnly? at = null;
        var atSign = unit.IndexOf('@');
        if (atSign >= 0)
        {
            if (!TimeOnly.TryParseExact(unit[(atSign + 1)..], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                error = "the time after '@' is not a valid HH:mm";
                return false;
            }
            at = time;
            unit = unit[..atSign];
        }

        var unitText = unit.ToString().ToLowerInvariant();
        rule = unitText switch
        {
            "h" => new Hours(count),
            "wd" => new WorkingDays(count, at),
            "d" => new CalendarDays(count),
            "mo" => new CalendarMonths(count),
            _ => null,
        };
        if (rule is null)
        {
            error = unitText.Length == 0 ? "the unit is missing" : $"unknown unit '{unitText}'";
            return false;
        }
        if (at is not null && rule is not WorkingDays)
        {
            rule = null;
            error = "only working days ('wd') take a time";
            return false;
        }
        error = "";
        return true;
    }

    private static int NonNegative(int count, string name) =>
        count >= 0 ? count : throw new ArgumentOutOfRangeException(name, count, "A deadline count cannot be negative.");

    private static string Invariant(int count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>4h</c>: exactly <see cref="Count"/> hours after the start, through nights, weekends, holidays and DST changes.
    /// The Atw only extends terms that end on a day (art. 1 lid 1); a term in hours is not extended.
    /// </summary>
    public sealed record Hours(int Count) : DeadlineRule
    {
        public int Count { get; } = NonNegative(Count, nameof(Count));

        public override DeadlineComputation Compute(DateTimeOffset start, WorkingDayCalendar calendar) =>
            new(start.ToUniversalTime(), start.ToUniversalTime().AddHours(Count), [],
                [$"{Invariant(Count)} uur na de start, door nachten, weekenden en feestdagen heen: de Atw verlengt alleen termijnen die op een dag eindigen (art. 1 lid 1)"]);

        public override string ToString() => Invariant(Count) + "h";
    }

    /// <summary>
    /// <c>2wd</c>: <see cref="Count"/> working days after the start's Amsterdam date, at the start's wall-clock time;
    /// <c>1wd@12:00</c>: that working day at <see cref="At"/>. The start date need not be a working day
    /// (start Saturday, 1wd: Monday). Working days as in <see cref="WorkingDayCalendar"/> (Atw art. 1 and 3).
    /// </summary>
    public sealed record WorkingDays(int Count, TimeOnly? At) : DeadlineRule
    {
        public int Count { get; } = NonNegative(Count, nameof(Count));

        /// <summary>Whole minutes only, so that <see cref="ToString"/> round-trips.</summary>
        public TimeOnly? At { get; } = At is { Second: 0, Millisecond: 0, Microsecond: 0, Nanosecond: 0 } or null
            ? At
            : throw new ArgumentException("The time of day must be whole minutes (HH:mm).", nameof(At));

        public override DeadlineComputation Compute(DateTimeOffset start, WorkingDayCalendar calendar)
        {
            ArgumentNullException.ThrowIfNull(calendar);
            var local = DutchTime.ToLocal(start);
            var day = DateOnly.FromDateTime(local);
            var skipped = new List<SkippedDay>();
            // The same walk as WorkingDayCalendar.AddWorkingDays, keeping every day passed over and its reason.
            for (var left = Count; left > 0;)
            {
                day = day.AddDays(1);
                if (calendar.WhyNotAWorkingDay(day) is { } why) skipped.Add(new(day, why));
                else left--;
            }
            var time = At ?? TimeOnly.FromDateTime(local);
            return new(start.ToUniversalTime(), DutchTime.FromLocal(day, time), skipped,
                [$"{Invariant(Count)} werkdag(en) na {DateOnly.FromDateTime(local):yyyy-MM-dd}, om {time:HH:mm} (Amsterdam); werkdagen volgens de Atw (art. 1 en 3)"]);
        }

        public override string ToString() =>
            Invariant(Count) + "wd" + (At is { } at ? "@" + at.ToString("HH:mm", CultureInfo.InvariantCulture) : "");
    }

    /// <summary>
    /// <c>7d</c>: the start's Amsterdam date plus <see cref="Count"/> days, at the start's wall-clock time; a term
    /// ending on a Saturday, Sunday or holiday is extended to the next working day (Atw art. 1 lid 1).
    /// </summary>
    public sealed record CalendarDays(int Count) : DeadlineRule
    {
        public int Count { get; } = NonNegative(Count, nameof(Count));

        public override DeadlineComputation Compute(DateTimeOffset start, WorkingDayCalendar calendar) =>
            OnWorkingDay(start, calendar, date => date.AddDays(Count), $"{Invariant(Count)} kalenderdag(en)", Count >= 3,
                Count > 90 ? "Atw art. 4 onder a: een termijn van meer dan 90 dagen wordt niet verlengd" : null);

        public override string ToString() => Invariant(Count) + "d";
    }

    /// <summary>
    /// <c>3mo</c>: the start's Amsterdam date plus <see cref="Count"/> months (31 Jan + 1 month = 28/29 Feb), at the
    /// start's wall-clock time, extended to the next working day as for days (Atw art. 1 lid 1). Atw art. 2 applies too: its
    /// text ("een in een wet gestelde termijn van ten minste drie dagen") covers every term of that length, however it is
    /// expressed, and a month is longer than three days. More than three months: the Atw does not apply (art. 4 onder a).
    /// </summary>
    public sealed record CalendarMonths(int Count) : DeadlineRule
    {
        public int Count { get; } = NonNegative(Count, nameof(Count));

        public override DeadlineComputation Compute(DateTimeOffset start, WorkingDayCalendar calendar) =>
            OnWorkingDay(start, calendar, date => date.AddMonths(Count), $"{Invariant(Count)} maand(en)", Count >= 1,
                Count > 3 ? "Atw art. 4 onder a: een termijn van meer dan drie maanden wordt niet verlengd" : null);

        public override string ToString() => Invariant(Count) + "mo";
    }

    /// <summary>
    /// A term counted on the calendar. Atw art. 1 lid 1: ending on a Saturday, Sunday or holiday, it is extended to the
    /// next day that is none of those. Atw art. 2: a term of at least three days is extended, where needed, so that it
    /// contains at least two such days (the term runs from the day after the start to its last day, both included).
    /// Atw art. 4 onder a: the act does not apply to terms "in meer dan 90 dagen, in meer dan twaalf weken, in meer dan drie
    /// maanden, of in een of meer jaren"; such a term (<paramref name="outsideTheAct"/> says why) ends on its nominal day.
    /// </summary>
    private static DeadlineComputation OnWorkingDay(
        DateTimeOffset start, WorkingDayCalendar calendar, Func<DateOnly, DateOnly> advance, string what, bool atLeastThreeDays, string? outsideTheAct = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var local = DutchTime.ToLocal(start);
        var from = DateOnly.FromDateTime(local);
        var nominal = advance(from);
        var day = nominal;
        var skipped = new List<SkippedDay>();
        var notes = new List<string> { $"{what} na {from:yyyy-MM-dd}: {nominal:yyyy-MM-dd}" };
        if (outsideTheAct is not null)
        {
            notes.Add(outsideTheAct);
            return new(start.ToUniversalTime(), DutchTime.FromLocal(day, TimeOnly.FromDateTime(local)), skipped, notes);
        }
        while (calendar.WhyNotAWorkingDay(day) is { } why)
        {
            skipped.Add(new(day, why));
            day = day.AddDays(1);
        }
        if (day != nominal)
            notes.Add($"Atw art. 1 lid 1: eindigt op een zaterdag, zondag of feestdag, verlengd tot {day:yyyy-MM-dd}");

        if (atLeastThreeDays)
        {
            var workingDays = 0;
            for (var d = from.AddDays(1); d <= day; d = d.AddDays(1))
                if (calendar.IsWorkingDay(d)) workingDays++;
            if (workingDays < 2)
            {
                while (workingDays < 2)
                {
                    day = day.AddDays(1);
                    if (calendar.WhyNotAWorkingDay(day) is { } why) skipped.Add(new(day, why));
                    else workingDays++;
                }
                notes.Add($"Atw art. 2: de termijn bevatte minder dan twee dagen die geen zaterdag, zondag of feestdag zijn; verlengd tot {day:yyyy-MM-dd}");
            }
        }
        return new(start.ToUniversalTime(), DutchTime.FromLocal(day, TimeOnly.FromDateTime(local)), skipped, notes);
    }
}

/// <summary>A day a deadline passed over, with the reason in words ("27 april: Koningsdag, Atw art. 3 lid 1").</summary>
public sealed record SkippedDay(DateOnly Date, string Reason);

/// <summary>How a deadline was computed: the start and due instants (UTC), the days passed over, the articles applied.</summary>
public sealed record DeadlineComputation(DateTimeOffset Start, DateTimeOffset Due, IReadOnlyList<SkippedDay> Skipped, IReadOnlyList<string> Notes);
