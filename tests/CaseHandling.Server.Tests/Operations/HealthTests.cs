using System.Net;
using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Operations;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseHandling.Server.Tests.Operations;

/// <summary>
/// /health/live and /health/ready (docs/OPERATIONS.md): anonymous, "Healthy" or "Unhealthy" and nothing else; ready only
/// with PostgreSQL migrated, the key store, the key-encryption key and Hangfire's storage all usable.
/// </summary>
public sealed class HealthTests
{
    private static async Task<(HttpStatusCode Status, string Body)> Get(TestHost host, string path)
    {
        using var r = await host.CreateClient().GetAsync(path);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task LiveAndReady_AllUp_AnonymousHealthyAndNothingElse()
    {
        var host = await TestHost.Get();
        Assert.That(await Get(host, Health.LivePath), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
        Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
    }

    [Test]
    public async Task Ready_MigrationsPending_UnhealthyUntilApplied_LiveStaysUp()
    {
        // A database without the schema, as before the migration job ran (no bootstrap account: its table is not there yet).
        var host = await TestHost.Get($"health-pending-{Guid.NewGuid():N}"[..22], new()
        {
            ["Database:MigrateOnStartup"] = "false", ["Bootstrap:AdminEmail"] = "", ["Bootstrap:AdminPassword"] = "",
        }, ownDatabase: true);
        try
        {
            Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "Unhealthy")));
            Assert.That(await Get(host, Health.LivePath), Is.EqualTo((HttpStatusCode.OK, "Healthy")), "live does not depend on the database");
            Assert.That(host.Logs.Lines.Any(l => l.Contains("migration(s) pending")), "the reason is logged, not sent");

            await using (var scope = host.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>().Database.MigrateAsync();
            Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
        }
        finally
        {
            await TestHost.Discard(host);
        }
    }

    [Test]
    public async Task Ready_KeyFileGone_UnhealthyUntilBack()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kek-{Guid.NewGuid():N}.json");
        var json = "{\"activeKeyId\":\"file-1\",\"keys\":{\"file-1\":\"" + TestHost.TestKek + "\",\"test-1\":\"" + TestHost.TestKek + "\"}}";
        await File.WriteAllTextAsync(file, json);
        var host = await TestHost.Get($"health-kek-{Guid.NewGuid():N}"[..20], new() { ["Encryption:KeyFile"] = file });
        try
        {
            Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
            File.Delete(file);
            var (status, body) = await Get(host, Health.ReadyPath);
            Assert.That((status, body), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "Unhealthy")), "no word of which check or why");
            Assert.That(host.Logs.Lines.Any(l => l.Contains("Not ready: the key-encryption key")));
            await File.WriteAllTextAsync(file, json);
            Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
        }
        finally
        {
            await TestHost.Discard(host);
            File.Delete(file);
        }
    }

    [TestCase("key store", "ALTER TABLE data_keys RENAME TO data_keys_away", "ALTER TABLE data_keys_away RENAME TO data_keys")]
    [TestCase("hangfire", "ALTER SCHEMA hangfire RENAME TO hangfire_away", "ALTER SCHEMA hangfire_away RENAME TO hangfire")]
    public async Task Ready_StoreGone_UnhealthyUntilBack(string which, string away, string back)
    {
        var host = await TestHost.Get($"health-{which[..3]}-{Guid.NewGuid():N}"[..20]);
        var database = which == "key store" ? host.KeyStoreConnectionString : host.ConnectionString;
        try
        {
            Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
            await Execute(database, away);
            Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "Unhealthy")), which);
            await Execute(database, back);
            Assert.That(await Get(host, Health.ReadyPath), Is.EqualTo((HttpStatusCode.OK, "Healthy")), which);
        }
        finally
        {
            await TestHost.Discard(host);
        }
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
