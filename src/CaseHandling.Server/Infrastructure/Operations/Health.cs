using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Encryption;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CaseHandling.Server.Infrastructure.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (no checks, so a slow database never gets a pod restarted).
/// <c>/health/ready</c>: PostgreSQL with every migration applied, the key store, the key-encryption key and Hangfire's storage.
/// Both are anonymous and answer only "Healthy" (200) or "Unhealthy" (503): which check failed, and why, is logged, never sent.
/// </summary>
public static class Health
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string Ready = "ready";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static IServiceCollection AddCaseHandlingHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReady>("postgresql", tags: [Ready], timeout: Timeout)
            .AddCheck<KeyStoreReady>("key-store", tags: [Ready], timeout: Timeout)
            .AddCheck<KeyEncryptionKeyReady>("key-encryption-key", tags: [Ready], timeout: Timeout)
            .AddCheck<JobStorageReady>("hangfire-storage", tags: [Ready], timeout: Timeout);
        services.AddSingleton<MigrationState>();
        return services;
    }

    /// <summary>
    /// Mapped in every Jobs:Mode (a worker gets probed too). Not in the OpenAPI document: they are for the orchestrator and
    /// the load balancer, not for the API's clients, and carry no contract beyond the status code.
    /// </summary>
    public static void MapCaseHandlingHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) }).AllowAnonymous().ExcludeFromDescription();
    }
}

/// <summary>Remembers that every migration was applied: they do not come undone while this process runs, so later probes skip the query.</summary>
public sealed class MigrationState
{
    public volatile bool AllApplied;
}

/// <summary>PostgreSQL answers, and no migration of this build is pending (then the schema is older than the code).</summary>
public sealed class DatabaseReady(CaseHandlingDbContext db, MigrationState migrations, ILogger<DatabaseReady> log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            if (!migrations.AllApplied)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
                if (pending > 0)
                {
                    log.LogWarning("Not ready: {Count} migration(s) pending (run the migration job, or deploy/migrations.sh)", pending);
                    return HealthCheckResult.Unhealthy("migrations pending");
                }
                migrations.AllApplied = true;
            }
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning("Not ready: PostgreSQL ({Error})", e.GetType().Name);
            return HealthCheckResult.Unhealthy("postgresql");
        }
    }
}

/// <summary>The key store (ConnectionStrings:KeyStore) answers and has its table.</summary>
public sealed class KeyStoreReady(KeyStoreDatabase store, ILogger<KeyStoreReady> log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            await store.PingAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning("Not ready: the key store ({Error})", e.GetType().Name);
            return HealthCheckResult.Unhealthy("key store");
        }
    }
}

/// <summary>The active key-encryption key can be loaded and wraps and unwraps a data key (a key file can go missing or be garbled).</summary>
public sealed class KeyEncryptionKeyReady(KeyRing ring, ILogger<KeyEncryptionKeyReady> log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            var current = ring.Current();
            var key = ContentCipher.NewKey();
            var subject = Guid.NewGuid();
            var back = DataKeys.Unwrap(current.Active, current.ActiveId, subject, DataKeys.Wrap(current.Active, current.ActiveId, subject, key));
            return Task.FromResult(back.AsSpan().SequenceEqual(key) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("key-encryption key"));
        }
        catch (Exception e)
        {
            // The message names the setting and the key id, never the key.
            log.LogWarning("Not ready: the key-encryption key ({Error}: {Message})", e.GetType().Name, e.Message);
            return Task.FromResult(HealthCheckResult.Unhealthy("key-encryption key"));
        }
    }
}

/// <summary>Hangfire's storage (its schema in PostgreSQL) answers: the API enqueues into it, the workers take from it.</summary>
public sealed class JobStorageReady(JobStorage storage, ILogger<JobStorageReady> log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) => Task.Run(() =>
    {
        try
        {
            using var connection = storage.GetConnection();
            _ = connection is JobStorageConnection c ? c.GetSetCount("recurring-jobs") : connection.GetAllItemsFromSet("recurring-jobs").Count;
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            log.LogWarning("Not ready: Hangfire's storage ({Error})", e.GetType().Name);
            return HealthCheckResult.Unhealthy("hangfire storage");
        }
    }, ct);
}
