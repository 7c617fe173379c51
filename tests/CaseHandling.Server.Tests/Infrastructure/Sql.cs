using Npgsql;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>One value read straight from a database with SQL, the way someone holding a copy of it would.</summary>
public static class Sql
{
    public static async Task<T> Scalar<T>(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public static Task<T> Scalar<T>(string connectionString, string sql, Guid id) => Scalar<T>(connectionString, sql, ("id", id));

    public static async Task<int> Execute(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return await cmd.ExecuteNonQueryAsync();
    }
}
