using System.Diagnostics;
using Npgsql;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>pg_dump and psql, as an operator would take and restore a backup.</summary>
public static class PgTools
{
    public static Task DumpAsync(string connectionString, string file) =>
        Run("pg_dump", connectionString, ["--no-owner", "--no-privileges", "--file", file]);

    public static Task RestoreAsync(string connectionString, string file) =>
        Run("psql", connectionString, ["--quiet", "--set", "ON_ERROR_STOP=1", "--file", file]);

    private static async Task Run(string tool, string connectionString, string[] args)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--host", cs.Host!, "--port", cs.Port.ToString(), "--username", cs.Username!, "--dbname", cs.Database! }.Concat(args))
            info.ArgumentList.Add(a);
        info.Environment["PGPASSWORD"] = cs.Password;
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({p.ExitCode}): {await stderr}");
    }
}
