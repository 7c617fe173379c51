namespace CaseHandling.Domain.Calendar;

/// <summary>Conversions between instants and the Amsterdam wall clock, in which all terms are counted.</summary>
public static class DutchTime
{
    /// <summary>The "Europe/Amsterdam" zone (IANA id; .NET maps it on Windows too).</summary>
    public static TimeZoneInfo Amsterdam { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>The Amsterdam wall-clock time of <paramref name="instant"/> (Kind Unspecified).</summary>
    public static DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Amsterdam).DateTime;

    /// <summary>The Amsterdam calendar date of <paramref name="instant"/>.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant));

    /// <summary>
    /// The instant (Offset 0) at which Amsterdam clocks show <paramref name="date"/> <paramref name="time"/>.
    /// A time skipped by the spring-forward gap gives the first valid instant after the gap (the transition itself);
    /// a time repeated in autumn gives the earlier, summer-time instant.
    /// </summary>
    public static DateTimeOffset FromLocal(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);

        if (Amsterdam.IsAmbiguousTime(local))
            return new DateTimeOffset(local, Amsterdam.GetAmbiguousTimeOffsets(local).Max()).ToUniversalTime();

        if (Amsterdam.IsInvalidTime(local))
            return GapEnd(local);

        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// The transition instant of the gap containing <paramref name="local"/>. With offsets <c>before</c> and
    /// <c>after</c> the gap, the transition lies in (local - after, local - before]; find it by bisection.
    /// </summary>
    private static DateTimeOffset GapEnd(DateTime local)
    {
        var asUtc = DateTime.SpecifyKind(local, DateTimeKind.Utc);
        var before = Amsterdam.GetUtcOffset(asUtc.AddDays(-1));
        var after = Amsterdam.GetUtcOffset(asUtc.AddDays(1));
        long lo = (asUtc - after).Ticks; // still on the old offset
        long hi = (asUtc - before).Ticks; // already on the new offset
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (Amsterdam.GetUtcOffset(new DateTime(mid, DateTimeKind.Utc)) == after)
                hi = mid;
            else
                lo = mid;
        }
        return new DateTimeOffset(hi, TimeSpan.Zero);
    }
}
