using System.Diagnostics;
using Npgsql;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// A throwaway PostgreSQL cluster of its own (initdb, pg_ctl from Debian's packages) on a free loopback port with its
/// data under the temp folder, so that a database outage can be staged by stopping it in immediate mode without
/// touching the shared server that other runs and tests use. Trust authentication: it listens on 127.0.0.1 only and
/// lives for one scenario.
/// </summary>
public sealed class PgCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    public int Port { get; }

    private PgCluster(string bin, string dir, int port) { _bin = bin; _dir = dir; Port = port; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=30";

    /// <summary>The newest PostgreSQL under /usr/lib/postgresql, or null when none is installed.</summary>
    public static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderBy(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).LastOrDefault()
            : null;

    public static async Task<PgCluster> CreateAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql");
        var dir = Path.Combine(Path.GetTempPath(), $"casehandling-faults-pg-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        // initdb refuses to run as root: then the cluster belongs to the postgres account.
        if (Environment.UserName == "root") await Run("chown", ["postgres:postgres", dir], asPostgres: false);
        var cluster = new PgCluster(bin, dir, ServerProcess.FreePort());
        await cluster.Tool("initdb", ["-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"]);
        await cluster.StartAsync();
        return cluster;
    }

    public Task StartAsync() => Tool("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dir} -c max_connections=200", "start"]);

    /// <summary>Immediate mode: every backend is cut at once, no checkpoint; the next start recovers from the WAL.</summary>
    public Task StopImmediateAsync() => Tool("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]);

    private Task Tool(string tool, string[] args) => Run(Path.Combine(_bin, tool), args, asPostgres: Environment.UserName == "root");

    private static async Task Run(string file, string[] args, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (asPostgres) foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({p.ExitCode}): {await stderr} {await stdout}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await Tool("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]); }
        catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
