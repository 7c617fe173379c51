using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>
/// The cases the caller may see, newest first: a board its institution's, an inspector the inspectorate's. Filters by
/// state, coverage, an open duty past its due time, or the case number; pages by keyset (<see cref="After"/>: the last
/// row of the previous page), so page 50 costs what page 1 does (index ix_cases_institution_id_opened_at).
/// </summary>
public sealed record ListCases(int Limit = 100, CaseState? State = null, Coverage? Coverage = null, bool OverdueOnly = false,
    string? Number = null, CaseCursor? After = null) : IQuery<Result<IReadOnlyList<CaseListItem>>>;

/// <summary>Where a page of the case list ends: its last row's opening time and id.</summary>
public sealed record CaseCursor(DateTimeOffset OpenedAt, Guid Id)
{
    public override string ToString() => $"{OpenedAt.UtcTicks}-{Id:N}";

    public static CaseCursor? Parse(string? text)
    {
        var parts = text?.Split('-');
        return parts is [var ticks, var id] && long.TryParse(ticks, out var t) && t > 0 && t < DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(id, "N", out var g)
            ? new CaseCursor(new DateTimeOffset(t, TimeSpan.Zero), g)
            : null;
    }
}

public sealed record CaseListItem(Guid Id, string Number, CaseState State, IncidentType IncidentType, Coverage Coverage, DateTimeOffset OpenedAt);

public sealed class ListCasesHandler(CaseStore store, CurrentUserAccessor current, TimeProvider time)
    : IQueryHandler<ListCases, Result<IReadOnlyList<CaseListItem>>>
{
    public async ValueTask<Result<IReadOnlyList<CaseListItem>>> Handle(ListCases q, CancellationToken ct)
    {
        var cases = store.Visible(current.Get()).AsNoTracking();
        if (q.State is { } state) cases = cases.Where(c => c.State == state);
        if (q.Coverage is { } coverage) cases = cases.Where(c => c.Coverage == coverage);
        if (!string.IsNullOrWhiteSpace(q.Number))
        {
            var number = q.Number.Trim().ToUpperInvariant();
            cases = cases.Where(c => c.Number == number);
        }
        if (q.OverdueOnly)
        {
            var now = time.GetUtcNow();
            cases = cases.Where(c => c.Duties.Any(d => d.MetAt == null && d.DueAt < now));
        }
        if (q.After is { } after)
            cases = cases.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.OpenedAt, c.Id), ValueTuple.Create(after.OpenedAt, after.Id)));
        return await cases
            .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id)
            .Take(Math.Clamp(q.Limit, 1, 500))
            .Select(c => new CaseListItem(c.Id, c.Number, c.State, c.IncidentType, c.Coverage, c.OpenedAt))
            .ToListAsync(ct);
    }
}
