using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Matching;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>Where rotation of the matching key stands: the active version and how many identifiers each version hashed.</summary>
public sealed record MatchingKeyStatusView(string ActiveKeyVersion, IReadOnlyDictionary<string, int> IdentifiersByKeyVersion, int ReportsRehashed);

public sealed record GetMatchingKeyStatus : IQuery<Result<MatchingKeyStatusView>>;

/// <summary>
/// Rotation of the matching key, step 2 (docs/MATCHING.md): after a new version was made active, every identifier hashed
/// under another version is hashed again from the sealed plaintext, report by report, in batches of their own
/// transactions. Until it has run, reports hashed under different versions do not match each other. Shows no content.
/// </summary>
public sealed record RehashAccusedIdentifiers : ICommand<Result<MatchingKeyStatusView>>;

public sealed class GetMatchingKeyStatusHandler(CaseHandlingDbContext db, MatchingKeys matching)
    : IQueryHandler<GetMatchingKeyStatus, Result<MatchingKeyStatusView>>
{
    public async ValueTask<Result<MatchingKeyStatusView>> Handle(GetMatchingKeyStatus q, CancellationToken ct) =>
        new MatchingKeyStatusView(matching.ActiveVersion, await MatchingKeyCounts.ByVersionAsync(db, ct), 0);
}

public sealed class RehashAccusedIdentifiersHandler(CaseHandlingDbContext db, UnitOfWork work, DataKeys keys, MatchingKeys matching, TimeProvider time,
    CurrentUserAccessor current)
    : ICommandHandler<RehashAccusedIdentifiers, Result<MatchingKeyStatusView>>
{
    private const int Batch = 200;

    public async ValueTask<Result<MatchingKeyStatusView>> Handle(RehashAccusedIdentifiers cmd, CancellationToken ct)
    {
        var active = matching.ActiveVersion;
        var total = 0;
        while (true)
        {
            // Read again each batch: HashAll hashes under the key active now, so a key file changed during the run moves the
            // goal with it instead of leaving rows that never equal the version read at the start (an endless loop).
            active = matching.ActiveVersion;
            var ids = await db.AccusedIdentifiers.AsNoTracking().Where(i => i.KeyVersion != active).Select(i => i.ReportId)
                .Distinct().OrderBy(id => id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0) break;
            await keys.PreloadAsync(ids, ct);
            var accused = await db.ReportAccused.Where(a => ids.Contains(a.ReportId)).ToListAsync(ct);
            db.AccusedIdentifiers.RemoveRange(await db.AccusedIdentifiers.Where(i => ids.Contains(i.ReportId)).ToListAsync(ct));
            var now = time.GetUtcNow();
            foreach (var a in accused)
            foreach (var identifier in matching.HashAll(a, now))
                work.Add(identifier);
            // Each report whose identifiers were hashed again, in the batch's transaction.
            foreach (var id in ids) work.Audit(id, $"change:AccusedRehashed:{active}", current.Get());
            var saved = await work.CommitAsync("The accused's identifiers", ct);
            if (!saved.IsSuccess) return saved.Error!;
            db.ChangeTracker.Clear();
            total += ids.Count;
        }
        return new MatchingKeyStatusView(active, await MatchingKeyCounts.ByVersionAsync(db, ct), total);
    }
}

internal static class MatchingKeyCounts
{
    public static async Task<IReadOnlyDictionary<string, int>> ByVersionAsync(CaseHandlingDbContext db, CancellationToken ct) =>
        await db.AccusedIdentifiers.AsNoTracking().GroupBy(i => i.KeyVersion).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
}
