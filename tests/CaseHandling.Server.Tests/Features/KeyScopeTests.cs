using System.Net;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

/// <summary>Reading sealed content without preloading its key fails loudly in the tests (no synchronous key-store I/O slips in).</summary>
public sealed class KeyScopeTests
{
    [Test]
    public async Task SealedContent_ReadWithoutPreloadedKey_Throws_WithPreloadedKey_Opens()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: "verzegeld feitenrelaas");
        Assert.That((await w.Board.GetAsync($"/api/cases/{c.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key is now in the cache too");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
        using (KeyScope.Begin())
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.CaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id).ToListAsync());
            Assert.That(error!.Message, Does.Contain("preloaded"));
        }
        using (KeyScope.Begin())
        {
            await scope.ServiceProvider.GetRequiredService<DataKeys>().PreloadAsync([c.Id], CancellationToken.None);
            var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id).ToListAsync();
            Assert.That(events.Single().DetailsJson, Does.Contain("verzegeld feitenrelaas"));
        }
    }
}
