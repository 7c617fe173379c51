using Npgsql;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>Reads the raw tables with SQL, the way someone holding a copy of the database would.</summary>
public static class DatabaseScan
{
    /// <summary>Every (schema.table.column) in every schema (Hangfire's too) whose text contains <paramref name="needle"/>.</summary>
    public static async Task<List<string>> ColumnsContaining(string connectionString, string needle)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT table_schema || '\".\"' || table_name, column_name FROM information_schema.columns " +
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') " +
            "AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'character')", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1)));

        var hits = new List<string>();
        foreach (var (table, column) in columns)
        {
            await using var cmd = new NpgsqlCommand(
                $"SELECT count(*) FROM \"{table}\" WHERE position(@n in convert_from(convert_to(\"{column}\"::text, 'UTF8'), 'UTF8')) > 0", conn);
            cmd.Parameters.AddWithValue("n", needle);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0) hits.Add($"{table}.{column}");
        }
        return hits;
    }
}
