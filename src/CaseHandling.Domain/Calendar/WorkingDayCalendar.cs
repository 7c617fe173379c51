using System.Collections.Concurrent;

namespace CaseHandling.Domain.Calendar;

/// <summary>A holiday and its Dutch name.</summary>
public sealed record Holiday(DateOnly Date, string Name);

/// <summary>
/// Working days under the Algemene termijnenwet (Atw): not a Saturday or Sunday (art. 1 lid 1),
/// not an "algemeen erkende feestdag" (art. 3 lid 1), not Goede Vrijdag (art. 3 lid 2), and not one of
/// the <see cref="ExtraHolidays"/> that a decree equates with a holiday (art. 3 lid 3, e.g. the Friday
/// after Hemelvaartsdag; published in the Staatscourant, so it is data here, not code).
/// </summary>
public sealed class WorkingDayCalendar
{
    private static readonly ConcurrentDictionary<int, Holiday[]> StatutoryByYear = new();

    private readonly HashSet<DateOnly> _extra;
    private readonly Dictionary<DateOnly, EquatedDay> _decreed;

    /// <summary>
    /// The statutory holidays and <paramref name="extraHolidays"/>; with <paramref name="decreed"/> also the days of
    /// the published decrees shipped in <see cref="EquatedDays"/> (what the application uses: see <see cref="Atw"/>).
    /// </summary>
    public WorkingDayCalendar(IEnumerable<DateOnly>? extraHolidays = null, IEnumerable<EquatedDay>? decreed = null)
    {
        _extra = [.. extraHolidays ?? []];
        ExtraHolidays = Array.AsReadOnly(_extra.Order().ToArray());
        _decreed = (decreed ?? []).ToDictionary(d => d.Date);
        DecreedDays = Array.AsReadOnly(_decreed.Values.OrderBy(d => d.Date).ToArray());
    }

    /// <summary>The statutory holidays only, no decreed days.</summary>
    public static WorkingDayCalendar Default { get; } = new();

    /// <summary>The Algemene termijnenwet as published: statutory holidays, the shipped decrees and the administrator's days.</summary>
    public static WorkingDayCalendar Atw(IEnumerable<DateOnly>? extraHolidays = null) => new(extraHolidays, EquatedDays.All);

    /// <summary>The shipped decrees' days (Atw art. 3 lid 3), ascending.</summary>
    public IReadOnlyCollection<EquatedDay> DecreedDays { get; }

    /// <summary>Days equated with a holiday by decree (Atw art. 3 lid 3), ascending.</summary>
    public IReadOnlyCollection<DateOnly> ExtraHolidays { get; }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        int a = year % 19;
        int b = year / 100, c = year % 100;
        int d = b / 4, e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The holidays of the Atw in <paramref name="year"/>, by date, with their Dutch names. Cached per year.</summary>
    public static IReadOnlyList<Holiday> StatutoryHolidays(int year) =>
        Array.AsReadOnly(StatutoryByYear.GetOrAdd(year, ComputeStatutory));

    private static Holiday[] ComputeStatutory(int year)
    {
        var easter = EasterSunday(year);
        var kingsDay = new DateOnly(year, 4, 27);
        // Koningsdag (27 April since 2014) moves to the 26th when the 27th is a Sunday (Besluit van 2013).
        // Earlier years (Koninginnedag, 30 April) are not modelled.
        if (kingsDay.DayOfWeek == DayOfWeek.Sunday)
            kingsDay = kingsDay.AddDays(-1);

        Holiday[] days =
        [
            // Atw art. 3 lid 1: "de Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de beide
            // Kerstdagen, de Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd en de vijfde mei".
            new(new DateOnly(year, 1, 1), "Nieuwjaarsdag"),
            // Atw art. 3 lid 2: Goede Vrijdag is equated with the days of lid 1.
            new(easter.AddDays(-2), "Goede Vrijdag"),
            // The first Easter and Whit days are Sundays, which Atw art. 1 already excludes; listed for completeness.
            new(easter, "Eerste Paasdag"),
            new(easter.AddDays(1), "Tweede Paasdag"),
            new(kingsDay, "Koningsdag"),
            new(new DateOnly(year, 5, 5), "Bevrijdingsdag"), // every year, not only lustrum years
            new(easter.AddDays(39), "Hemelvaartsdag"),
            new(easter.AddDays(49), "Eerste Pinksterdag"),
            new(easter.AddDays(50), "Tweede Pinksterdag"),
            new(new DateOnly(year, 12, 25), "Eerste Kerstdag"),
            new(new DateOnly(year, 12, 26), "Tweede Kerstdag"),
        ];
        // Stable sort: Hemelvaartsdag can fall on 5 May (e.g. 2016); both entries stay.
        return [.. days.OrderBy(h => h.Date)];
    }

    /// <summary>A statutory holiday (Atw art. 3 lid 1 and 2) or a decreed extra day (art. 3 lid 3).</summary>
    public bool IsHoliday(DateOnly date) =>
        _extra.Contains(date) || _decreed.ContainsKey(date) || Array.Exists(StatutoryByYear.GetOrAdd(date.Year, ComputeStatutory), h => h.Date == date);

    /// <summary>
    /// Why <paramref name="date"/> is not a working day, in words a lawyer can check ("27 april: Koningsdag, Atw art. 3 lid 1");
    /// null for a working day.
    /// </summary>
    public string? WhyNotAWorkingDay(DateOnly date)
    {
        var day = date.ToString("d MMMM", Dutch);
        var statutory = StatutoryByYear.GetOrAdd(date.Year, ComputeStatutory).Where(h => h.Date == date).ToList();
        // A Sunday holiday (Eerste Paasdag) is named as the holiday; the weekend makes it no working day as well.
        if (statutory.Count > 0)
            return $"{day}: {string.Join(" en ", statutory.Select(h => h.Name))}, Atw art. 3 lid {(statutory.Any(h => h.Name != "Goede Vrijdag") ? "1" : "2")}";
        if (_decreed.TryGetValue(date, out var equated))
            return $"{day}: {equated.Why}, gelijkgesteld met een feestdag (Atw art. 3 lid 3; {equated.Decree.Title})";
        if (_extra.Contains(date))
            return $"{day}: gelijkgesteld met een feestdag (Atw art. 3 lid 3), ingesteld door de beheerder (Rules:ExtraHolidays)";
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            return $"{day}: {date.ToString("dddd", Dutch)}, Atw art. 1 lid 1";
        return null;
    }

    private static readonly System.Globalization.CultureInfo Dutch = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>Not a Saturday, Sunday or holiday (Atw art. 1 lid 1).</summary>
    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary><paramref name="date"/> itself if it is a working day, else the next one (the extension of Atw art. 1 lid 1).</summary>
    public DateOnly NextWorkingDayOnOrAfter(DateOnly date)
    {
        while (!IsWorkingDay(date))
            date = date.AddDays(1);
        return date;
    }

    /// <summary>
    /// The <paramref name="workingDays"/>-th working day after <paramref name="date"/>; the date itself is not
    /// counted, and need not be a working day. Zero returns <paramref name="date"/> unchanged.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly date, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        for (var left = workingDays; left > 0;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
                left--;
        }
        return date;
    }
}
