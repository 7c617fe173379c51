using CaseHandling.Server.Infrastructure.Mail;
using CaseHandling.Server.Infrastructure.Security;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace CaseHandling.Server.Infrastructure.Jobs;

public static class JobsSetup
{
    public const string SweepJobId = "duty-sweep";
    public const string DeliveryJobId = "outbox-delivery";
    public const string RetentionJobId = "retention";

    /// <summary>Hangfire on PostgreSQL in its own schema; a server only when this process runs background work (Jobs:Mode).</summary>
    public static IServiceCollection AddCaseHandlingJobs(this IServiceCollection services, IConfiguration config, string connectionString)
    {
        var jobs = config.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.Configure<JobsOptions>(config.GetSection(JobsOptions.Section));
        services.Configure<NotificationOptions>(config.GetSection(NotificationOptions.Section));
        services.Configure<MailOptions>(config.GetSection(MailOptions.Section));

        services.AddSingleton<Mail.Links>();
        services.AddScoped<DutySweep>();
        services.AddScoped<DutySweepJob>();
        services.AddScoped<OutboxDelivery>();
        services.AddScoped<OutboxDeliveryJob>();
        services.Configure<RetentionOptions>(config.GetSection(RetentionOptions.Section));
        // A bad retention period names itself at start-up, not at 02:30.
        (config.GetSection(RetentionOptions.Section).Get<RetentionOptions>() ?? new RetentionOptions()).Build();
        services.AddScoped<RetentionRun>();
        services.AddScoped<RetentionJob>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<IDeliveryProbe, NoDeliveryProbe>();

        // The storage is this host's own object, registered before AddHangfire: Hangfire's global JobStorage.Current
        // would otherwise be shared by every host in the process (the tests run several).
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(jobs.QueuePollSeconds),
        };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions, null), storageOptions);
        services.AddSingleton<JobStorage>(storage);
        services.AddHangfire((sp, cfg) => cfg
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .UseStorage(storage));
        if (jobs.RunsServer)
            services.AddHangfireServer((_, o) =>
            {
                o.WorkerCount = jobs.WorkerCount;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(jobs.SchedulePollSeconds);
            }, storage);
        return services;
    }

    public static void RegisterRecurringJobs(this IServiceProvider services, JobsOptions jobs)
    {
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<DutySweepJob>(SweepJobId, j => j.Run(CancellationToken.None), jobs.SweepCron);
        recurring.AddOrUpdate<OutboxDeliveryJob>(DeliveryJobId, j => j.Run(CancellationToken.None), jobs.DeliveryCron);
        recurring.AddOrUpdate<RetentionJob>(RetentionJobId, j => j.Run(CancellationToken.None), jobs.RetentionCron);
    }
}

/// <summary>The dashboard shows job state and ids; only administrators may see it (the endpoint also requires the policy).</summary>
public sealed class AdministratorDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Administrator);
}

/// <summary>
/// Hangfire keeps one log provider for the whole process (a static), set by the host that configured it last. Where a process
/// runs several hosts one after another (the tests), a stopped host's disposed logger factory must not break the next host's
/// job client: a logger that cannot be made, or cannot write, is silent instead.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(factory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try { return new Guarded(_inner.GetLogger(name)); }
        catch (ObjectDisposedException) { return Silent.Instance; }
    }

    private sealed class Guarded(Hangfire.Logging.ILog inner) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try { return inner.Log(logLevel, messageFunc, exception); }
            catch (ObjectDisposedException) { return false; }
        }
    }

    private sealed class Silent : Hangfire.Logging.ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
