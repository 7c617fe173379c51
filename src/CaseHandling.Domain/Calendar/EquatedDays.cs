namespace CaseHandling.Domain.Calendar;

/// <summary>
/// A decree under Atw art. 3 lid 3 ("Besluit ... houdende gelijkstelling van ... met een algemeen erkende feestdag"),
/// published in the Staatscourant about every three years. <see cref="Verified"/> says how its days were checked.
/// </summary>
public sealed record EquatingDecree(string Title, int FirstYear, int LastYear, string Source, string Verified);

/// <summary>One day a decree equates with a holiday, and why the decree chose it.</summary>
public sealed record EquatedDay(DateOnly Date, string Why, EquatingDecree Decree);

/// <summary>
/// The days equated with a holiday by the published decrees (Atw art. 3 lid 3), as data. The administrator adds
/// days of a new decree with <c>Rules:ExtraHolidays</c> until the next release ships it here; docs/RULES.md says how.
/// Only days read in a decree's title or text are listed: the title of such a decree names every day it equates.
/// </summary>
public static class EquatedDays
{
    public static readonly EquatingDecree Decree2017To2019 = new(
        "Besluit van 24 oktober 2016, nr. 2016001827, houdende gelijkstelling van 28 april en 26 mei 2017, 11 mei en "
        + "24 en 31 december 2018 en 31 mei en 27 december 2019 met een algemeen erkende feestdag",
        2017, 2019,
        "wetten.overheid.nl BWBR0038666 (geldend vanaf 2016-11-01), artikel 1",
        "full text of the decree read (artikel 1 lists the days)");

    public static readonly EquatingDecree Decree2023To2025 = new(
        "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en 30 mei 2025 met een "
        + "algemeen erkende feestdag",
        2023, 2025,
        "Stcrt. 2022, 7812 (zoek.officielebekendmakingen.nl/stcrt-2022-7812), as cited by the government's rules-as-code project "
        + "(MinBZK/regelrecht, RFC-007, references)",
        "title read in secondary sources (copies in public code, which may derive from one another); the Staatscourant number "
        + "read in the rules-as-code project; the decree's own text not read; every day is a Friday after a Thursday holiday, as five of the seven days of the 2017-2019 decree (text read) are; "
        + "that decree also equates Mondays before a Tuesday holiday (24 and 31 December 2018), and no holiday falls on a Tuesday in 2023-2025");

    public static readonly EquatingDecree Decree2026To2028 = new(
        "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een "
        + "algemeen erkende feestdag",
        2026, 2028,
        "Stcrt. 2025, 24713 (zoek.officielebekendmakingen.nl/stcrt-2025-24713), as cited by the government's rules-as-code "
        + "project (MinBZK/regelrecht, RFC-007, references), which lists the same five days",
        "title read in secondary sources (copies in public code, which may derive from one another); the Staatscourant number "
        + "and the five days read in the rules-as-code project's rendering of artikel 1 (its wording, not the decree's); the "
        + "decree's own text not read; every day is a Friday after a Thursday holiday. The title names no Monday before 5 May 2026 or before Koningsdag "
        + "27 April 2027, both Tuesdays, while earlier decrees equated such days (4 May 2015; 24 and 31 December 2018): whether the "
        + "decree leaves them out or the copies are incomplete was not checked");

    /// <summary>
    /// The decrees shipped, oldest first. 2020–2022 is missing: its decree could not be found. Its days cannot be inferred from
    /// the calendar: besides the Fridays after Hemelvaartsdag, 5 May 2020 (Tuesday), Koningsdag 2021 (Tuesday) and 5 May 2022
    /// (Thursday) left bridge days that earlier decrees equated and later ones did not always (docs/RULES.md).
    /// </summary>
    public static readonly IReadOnlyList<EquatingDecree> Decrees = [Decree2017To2019, Decree2023To2025, Decree2026To2028];

    private const string AfterAscension = "vrijdag na Hemelvaartsdag";

    public static readonly IReadOnlyList<EquatedDay> All =
    [
        new(new DateOnly(2017, 4, 28), "vrijdag na Koningsdag (donderdag)", Decree2017To2019),
        new(new DateOnly(2017, 5, 26), AfterAscension, Decree2017To2019),
        new(new DateOnly(2018, 5, 11), AfterAscension, Decree2017To2019),
        new(new DateOnly(2018, 12, 24), "maandag voor Eerste Kerstdag (dinsdag)", Decree2017To2019),
        new(new DateOnly(2018, 12, 31), "maandag voor Nieuwjaarsdag (dinsdag)", Decree2017To2019),
        new(new DateOnly(2019, 5, 31), AfterAscension, Decree2017To2019),
        new(new DateOnly(2019, 12, 27), "vrijdag na Tweede Kerstdag (donderdag)", Decree2017To2019),

        new(new DateOnly(2023, 4, 28), "vrijdag na Koningsdag (donderdag)", Decree2023To2025),
        new(new DateOnly(2023, 5, 19), AfterAscension, Decree2023To2025),
        new(new DateOnly(2024, 5, 10), AfterAscension, Decree2023To2025),
        new(new DateOnly(2024, 12, 27), "vrijdag na Tweede Kerstdag (donderdag)", Decree2023To2025),
        new(new DateOnly(2025, 5, 30), AfterAscension, Decree2023To2025),

        new(new DateOnly(2026, 1, 2), "vrijdag na Nieuwjaarsdag (donderdag)", Decree2026To2028),
        new(new DateOnly(2026, 5, 15), AfterAscension, Decree2026To2028),
        new(new DateOnly(2027, 5, 7), AfterAscension, Decree2026To2028),
        new(new DateOnly(2028, 4, 28), "vrijdag na Koningsdag (donderdag)", Decree2026To2028),
        new(new DateOnly(2028, 5, 26), AfterAscension, Decree2026To2028),
    ];

    /// <summary>The years for which a verified decree is shipped.</summary>
    public static IEnumerable<int> YearsCovered => Decrees.SelectMany(d => Enumerable.Range(d.FirstYear, d.LastYear - d.FirstYear + 1));
}
