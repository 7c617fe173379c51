using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseHandling.Benchmarks;

/// <summary>
/// The reference the intake is held against (issue 14: "≥ 20 % of the ceiling, which is what a trivial EF endpoint
/// inserting one row reaches here"): an ASP.NET Core app of its own process, as the app is, with one POST that binds a
/// JSON body and inserts it as one row through a pooled EF Core context on Npgsql. No validation, no sealing, no audit,
/// no idempotency, no rate limit: what any endpoint on this stack costs at least.
/// </summary>
public static class TrivialEndpoint
{
    public const string Command = "trivial-endpoint";
    public const string Table = "CREATE TABLE bench_trivial (id bigserial PRIMARY KEY, payload text NOT NULL)";
    private const string ConnectionVariable = "CASEHANDLING_TRIVIAL_DB";

    public sealed class Row
    {
        public long Id { get; set; }
        public string Payload { get; set; } = "";
    }

    public sealed record Body(string Text);

    public sealed class RowsContext(DbContextOptions<RowsContext> options) : DbContext(options)
    {
        public DbSet<Row> Rows => Set<Row>();

        protected override void OnModelCreating(ModelBuilder b) => b.Entity<Row>(e =>
        {
            e.ToTable("bench_trivial");
            e.Property(r => r.Id).HasColumnName("id");
            e.Property(r => r.Payload).HasColumnName("payload");
        });
    }

    /// <summary>The process's own entry (`CaseHandling.Benchmarks trivial-endpoint PORT`); the connection string comes in the environment.</summary>
    public static async Task<int> ServeAsync(int port)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddDbContextPool<RowsContext>(o => o.UseNpgsql(Environment.GetEnvironmentVariable(ConnectionVariable)));
        var app = builder.Build();
        app.MapPost("/rows", async (Body body, RowsContext db) =>
        {
            db.Rows.Add(new Row { Payload = body.Text });
            await db.SaveChangesAsync();
            return Results.StatusCode(StatusCodes.Status201Created);
        });
        await app.StartAsync();
        Console.WriteLine("trivial endpoint ready");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Starts the reference as its own process on a free port and waits until it answers.</summary>
    public static async Task<(Process Process, Uri Address)> StartAsync(string connectionString)
    {
        var port = ServerProcess.FreePort();
        var dir = AppContext.BaseDirectory;
        var info = new ProcessStartInfo(Path.Combine(dir, OperatingSystem.IsWindows() ? "CaseHandling.Benchmarks.exe" : "CaseHandling.Benchmarks"))
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Command);
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.Environment[ConnectionVariable] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the trivial endpoint");
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("trivial endpoint ready") == true) ready.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("trivial endpoint: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60))) != ready.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new TimeoutException("the trivial endpoint did not start within 60 s");
        }
        return (process, new Uri($"http://127.0.0.1:{port}"));
    }
}
