using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;

namespace CaseHandling.Server.Features.Cases;

/// <summary>The shared shape of every step on an existing case: load as the caller may see it, apply, commit with its audit entry.</summary>
public static class CaseStep
{
    public static async ValueTask<Result<CaseRef>> Run(
        CaseStore store, CurrentUser user, Guid caseId, uint? expectedVersion, Func<Case, Result> step, CancellationToken ct)
    {
        var loaded = await store.LoadForChange(caseId, user, expectedVersion, ct);
        if (!loaded.IsSuccess) return loaded.Error!;
        var c = loaded.Value!;
        var applied = step(c);
        if (!applied.IsSuccess) return applied.Error!;
        store.Work.Audit(caseId, "change:" + c.Events.Last(e => e.Kind != "Reclassified").Kind, user);
        return await store.Work.CommitAsync("The case", () => CaseRef.Of(c), ct);
    }
}
