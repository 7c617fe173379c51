using CaseHandling.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// Institutions change rarely and every anonymous report names one: the intake reads them from a short
/// cache instead of the database (docs/PERFORMANCE.md). Only found institutions are cached, so a new one
/// is seen at once; a changed name or sector is seen within a minute.
/// </summary>
public sealed class InstitutionDirectory(IMemoryCache cache, IServiceScopeFactory scopes)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<Institution?> FindAsync(Guid id, CancellationToken ct)
    {
        if (cache.TryGetValue(id, out Institution? hit)) return hit;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
        var found = await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (found is not null) cache.Set(id, found, Lifetime);
        return found;
    }

    /// <summary>Drops a changed institution from this instance's cache.</summary>
    public void Forget(Guid id) => cache.Remove(id);
}
