using CaseHandling.Domain.Common;
using Mediator;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The meldpunt's alert: every open match (docs/MATCHING.md), newest first. Showing the list is recorded in the audit
/// trail of every report in it ("match:listed").
/// </summary>
public sealed record ListMatches(bool IncludeClosed = false) : IQuery<Result<IReadOnlyList<MatchView>>>;

public sealed class ListMatchesHandler(MatchFinder finder) : IQueryHandler<ListMatches, Result<IReadOnlyList<MatchView>>>
{
    public async ValueTask<Result<IReadOnlyList<MatchView>>> Handle(ListMatches q, CancellationToken ct)
    {
        var matches = (await finder.FindAsync(null, ct)).Where(m => q.IncludeClosed || m.Open).ToList();
        await finder.RecordShownAsync(matches, "match:listed", ct);
        return Result<IReadOnlyList<MatchView>>.Success(matches);
    }
}
