using CaseHandling.Domain.Calendar;

namespace CaseHandling.Domain.Deadlines;

public enum DistanceUnit { Minutes, Hours, WorkingDays }

/// <summary>
/// How far a due time is from now, as a person reads it on a work list: "nog 3 uur", "2 werkdagen te laat". Within a
/// day it counts hours (minutes in the last hour); beyond that working days on the Dutch calendar, because the
/// deadlines themselves are counted in working days (Algemene termijnenwet) and a weekend should not look like two
/// days lost.
/// </summary>
public readonly record struct DueDistance(int Count, DistanceUnit Unit, bool Late)
{
    public static DueDistance Between(DateTimeOffset now, DateTimeOffset due, WorkingDayCalendar calendar)
    {
        var late = due < now;
        var span = late ? now - due : due - now;
        // Time left is rounded down (never promise more than there is); lateness up (never make it look smaller).
        var minutes = late ? Math.Ceiling(span.TotalMinutes) : Math.Floor(span.TotalMinutes);
        if (minutes < 60) return new(Math.Max(1, (int)minutes), DistanceUnit.Minutes, late);
        var hours = late ? Math.Ceiling(span.TotalHours) : Math.Floor(span.TotalHours);
        if (hours < 24) return new((int)hours, DistanceUnit.Hours, late);
        var (from, to) = late ? (DutchTime.LocalDate(due), DutchTime.LocalDate(now)) : (DutchTime.LocalDate(now), DutchTime.LocalDate(due));
        var days = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (calendar.IsWorkingDay(d)) days++;
        // More than a day away but over a weekend or holiday only: still "1 werkdag", never "0 werkdagen".
        return new(Math.Max(1, days), DistanceUnit.WorkingDays, late);
    }
}
