using CaseHandling.Domain.Reports;
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

    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> Rows(string connectionString, string sql, params (string Name, object Value)[] args) =>
        [.. (await Pairs(connectionString, sql, args)).Select(p => p.First)];

    /// <summary>The first two columns of every row, as text (the second empty when there is none).</summary>
    public static async Task<List<(string First, string Second)>> Pairs(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await r.ReadAsync()) rows.Add((r.GetValue(0).ToString()!, r.FieldCount > 1 ? r.GetValue(1).ToString()! : ""));
        return rows;
    }

    /// <summary>
    /// The id of the report a receipt code belongs to, found as the server finds it: by the code's hash in
    /// reports.receipt_hash. Unlike the handler's inbox (shared by every test on a host), this cannot pick up
    /// another test's report.
    /// </summary>
    public static async Task<Guid> ReportIdByReceiptCode(string connectionString, string receiptCode) =>
        await Scalar<object?>(connectionString, "SELECT id FROM reports WHERE receipt_hash = @h", ("h", ReceiptCode.Hash(receiptCode))) is Guid id
            ? id
            : throw new AssertionException("no report has this receipt code");
}
