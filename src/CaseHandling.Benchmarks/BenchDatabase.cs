using CaseHandling.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CaseHandling.Benchmarks;

/// <summary>A throwaway database with the real schema, made through a role with CREATEDB (as deploy/test.sh provisions).</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public string ConnectionString { get; }
    private readonly string _admin;
    private readonly string _name;

    private BenchDatabase(string admin, string name, string cs) { _admin = admin; _name = name; ConnectionString = cs; }

    public static async Task<BenchDatabase> CreateAsync(string adminConnectionString, bool migrate = true)
    {
        var name = $"ch_bench_{Guid.NewGuid():N}"[..24];
        await using (var conn = new NpgsqlConnection(adminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        if (!migrate) return new BenchDatabase(adminConnectionString, name, cs);
        var options = new DbContextOptionsBuilder<CaseHandlingDbContext>();
        CaseHandlingDbContext.Configure(options, cs);
        await using var db = new CaseHandlingDbContext(options.Options);
        await db.Database.MigrateAsync();
        return new BenchDatabase(adminConnectionString, name, cs);
    }

    public async Task<long> Execute(string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Drops the database; an autovacuum worker (another role) can block the forced drop for a moment, so retry.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // For looking at query plans afterwards: CASEHANDLING_BENCH_KEEP=1 keeps the database.
        if (Environment.GetEnvironmentVariable("CASEHANDLING_BENCH_KEEP") == "1")
        {
            await Console.Error.WriteLineAsync($"kept database {_name}");
            return;
        }
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            try
            {
                await using var conn = new NpgsqlConnection(_admin);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", conn);
                await cmd.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (attempt < 10)
            {
                await Console.Error.WriteLineAsync($"dropping {_name}: {e.SqlState}, retrying");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
