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

    /// <summary>Creates an empty database and returns its connection string; with <paramref name="migrate"/>, applies the migrations.</summary>
    public static async Task<string> CreateAsync(string purpose, bool migrate)
    {
        var name = $"ch_test_{purpose}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
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
        if (migrate)
        {
            var options = new DbContextOptionsBuilder<CaseHandlingDbContext>();
            CaseHandlingDbContext.Configure(options, cs);
            await using var db = new CaseHandlingDbContext(options.Options);
            await db.Database.MigrateAsync();
        }
        return cs;
    }

    /// <summary>
    /// Drops every database this run made, a few at a time (each DROP DATABASE waits for a checkpoint, which they
    /// can share). Returns the names it could not drop: cleaning up does not fail the run.
    /// </summary>
    public static async Task<List<string>> DropAllAsync()
    {
        NpgsqlConnection.ClearAllPools();
        string[] names;
        lock (Created)
        {
            names = [.. Created];
            Created.Clear();
        }
        var left = new List<string>();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var conn = new NpgsqlConnection(AdminConnectionString);
                    await conn.OpenAsync(ct);
                    await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
                    await cmd.ExecuteNonQueryAsync(ct);
                    return;
                }
                // FORCE may not end another role's session: PostgreSQL 15 refuses (42501) while an autovacuum
                // worker is in the database. It is gone a moment later.
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
                {
                    await Task.Delay(500, ct);
                }
                catch (PostgresException e)
                {
                    lock (left) left.Add($"{name} ({e.SqlState})");
                    return;
                }
            }
        });
        return left;
    }
}
