using CaseHandling.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>
/// Throwaway PostgreSQL databases for the test run, made through the role in CASEHANDLING_TEST_DB
/// (deploy/test.sh provisions it; it has CREATEDB). Real PostgreSQL, never an in-memory stand-in.
/// </summary>
public static class TestDatabase
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("CASEHANDLING_TEST_DB") is { Length: > 0 } cs
            ? cs
            : "Host=127.0.0.1;Port=5432;Username=casehandling;Password=casehandling;Database=casehandling";

    private static readonly List<string> Created = [];

    /// <summary>
    /// The run's migrated database, made once and copied for every host that wants a migrated one (CREATE DATABASE …
    /// TEMPLATE copies its files, a fraction of a second, where running every migration took seconds per host).
    /// </summary>
    private static readonly Lazy<Task<string>> Template = new(async () =>
    {
        var name = $"ch_test_template_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        lock (Created) Created.Add(name);
        // Unpooled: no session may stay connected to a template while it is copied.
        var cs = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = false }.ConnectionString;
        await using (var db = Open(cs)) await db.Database.MigrateAsync();
        return name;
    });

    /// <summary>Serialises the copies: PostgreSQL refuses a copy while another session is connected to the template.</summary>
    private static readonly SemaphoreSlim Copying = new(1, 1);

    /// <summary>Creates an empty database and returns its connection string; with <paramref name="migrate"/>, a migrated one.</summary>
    public static async Task<string> CreateAsync(string purpose, bool migrate)
    {
        // The purpose is cut, never the random part, so that two runs' databases cannot share a name however long the
        // purpose: 8 + 22 + 1 + 32 = 63, the longest name PostgreSQL keeps.
        var label = purpose.ToLowerInvariant();
        var name = $"ch_test_{label[..Math.Min(label.Length, 22)]}_{Guid.NewGuid():N}";
        var template = migrate ? await Template.Value : null;
        await Copying.WaitAsync();
        try
        {
            await using var conn = new NpgsqlConnection(AdminConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"" + (template is null ? "" : $" TEMPLATE \"{template}\""), conn);
            // An autovacuum worker in the template holds the copy off for a moment (55006); try again shortly.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await cmd.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
                {
                    await Task.Delay(100);
                }
            }
        }
        finally
        {
            Copying.Release();
        }
        lock (Created) Created.Add(name);
        var cs = new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name,
            // Hosts live until the run ends, and most sit idle once their fixture is done; their pools (the app's,
            // the key store's, Hangfire's) close idle connections after about 10 s instead of 5 minutes, so that
            // parallel fixtures (or two runs on one server) stay well under max_connections.
            ConnectionIdleLifetime = 10,
            ConnectionPruningInterval = 5,
        }.ConnectionString;
        return cs;
    }

    /// <summary>A context of its own on <paramref name="connectionString"/>, as the app configures it.</summary>
    public static CaseHandlingDbContext Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<CaseHandlingDbContext>();
        CaseHandlingDbContext.Configure(options, connectionString);
        return new CaseHandlingDbContext(options.Options);
    }

    /// <summary>Runs the migrations after <paramref name="previous"/> again: down to it (each Down), then up to the latest.</summary>
    public static async Task MigrateAgainAfter(string connectionString, string previous)
    {
        await using var db = Open(connectionString);
        var migrator = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>(db);
        await migrator.MigrateAsync(previous);
        await migrator.MigrateAsync();
    }

    /// <summary>
    /// Drops the run's databases. Never fails the run: a database it cannot drop is left to deploy/test.sh's sweep, which
    /// drops it as the superuser. WITH (FORCE) ends the hosts' leftover sessions, but PostgreSQL refuses it (42501) when
    /// an autovacuum worker is busy in the database, since that worker runs as no role the test role is a member of; a
    /// plain DROP DATABASE cancels autovacuum itself, so that is the fallback.
    /// </summary>
    public static async Task DropAllAsync()
    {
        NpgsqlConnection.ClearAllPools();
        string[] names;
        lock (Created) { names = [.. Created]; Created.Clear(); }
        var left = new List<string>();
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        foreach (var name in names)
            if (!await TryDrop(conn, name)) left.Add(name);
        if (left.Count > 0)
            await TestContext.Progress.WriteLineAsync($"TestDatabase: {left.Count} test database(s) not dropped; deploy/test.sh's sweep drops them");
    }

    private static async Task<bool> TryDrop(NpgsqlConnection conn, string name)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", $"DROP DATABASE IF EXISTS \"{name}\"" })
            {
                try
                {
                    await using var cmd = new NpgsqlCommand(sql, conn);
                    await cmd.ExecuteNonQueryAsync();
                    return true;
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
                {
                    // Try the other form, then again after a moment: the session or the autovacuum worker may have ended.
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)));
        }
        return false;
    }
}
