using System.Diagnostics;
using System.Diagnostics.Metrics;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Jobs;
using Hangfire.Server;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CaseHandling.Server.Infrastructure.Operations;

/// <summary>
/// Traces and metrics (OpenTelemetry): ASP.NET Core, Npgsql, Hangfire jobs and mail delivery as spans (only where they can
/// go, <see cref="TelemetryOptions.TracesOn"/>); the meter
/// "CaseHandling" for what an operator watches. Nothing a person wrote and no identifier of a person, case or report goes
/// into a span, a tag or a label: spans keep an allow-list of tags (<see cref="TelemetryScrubber"/>), HTTP spans are named by
/// route template, and the meter's only labels are kinds and states (docs/OPERATIONS.md).
/// </summary>
public static class Telemetry
{
    public const string Name = "CaseHandling";
    /// <summary>Spans of our own: Hangfire jobs, the deadline sweep, mail delivery.</summary>
    public static readonly ActivitySource Source = new(Name);

    public static IServiceCollection AddCaseHandlingTelemetry(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TelemetryOptions>(config.GetSection(TelemetryOptions.Section));
        var options = config.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var mode = config.GetSection(JobsOptions.Section).Get<JobsOptions>()?.Mode ?? JobsMode.All;
        services.AddSingleton<CaseHandlingMetrics>();
        services.AddSingleton<OperationalFigures>();
        // Hangfire's filters are global to the process (the tests run several hosts): one span per job, however many hosts.
        lock (Hangfire.GlobalJobFilters.Filters)
            if (!Hangfire.GlobalJobFilters.Filters.Any(f => f.Instance is JobTracingFilter)) Hangfire.GlobalJobFilters.Filters.Add(new JobTracingFilter());
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Name).AddAttributes([new("casehandling.jobs.mode", mode.ToString())]));
        // Spans only where they go somewhere (Telemetry:Tracing, by default an OTLP collector): with no tracer provider there
        // is no listener, and ASP.NET Core, Npgsql and our own sources make no span at all (StartActivity returns null).
        if (options.TracesOn)
            telemetry.WithTracing(t =>
            {
                t.AddSource(Name)
                    // Only what a route template says: the path with its ids and the query string never become tags (the scrubber drops them).
                    .AddAspNetCoreInstrumentation(o => o.RecordException = false)
                    .AddNpgsql()
                    .AddProcessor(new TelemetryScrubber());
                if (options.Otlp.Endpoint is { Length: > 0 } endpoint) t.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
            });
        telemetry.WithMetrics(m =>
        {
            m.AddMeter(Name)
                // Request rate and latency: http.server.request.duration, labelled by route template, method and status.
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation();
            if (options.Prometheus.Port is not null) m.AddPrometheusExporter();
            if (options.Otlp.Endpoint is { Length: > 0 } endpoint) m.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
        });
        return services;
    }

    /// <summary>
    /// With a management port configured, the app listens on it besides its own address(es) (urls, or http_ports as in the
    /// official container images). Explicit Kestrel endpoints (the tests) win over both, as usual.
    /// </summary>
    public static void ListenOnManagementPort(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue<int?>($"{TelemetryOptions.Section}:Prometheus:Port");
        if (port is null) return;
        builder.WebHost.UseUrls([.. AppUrls(builder.Configuration), $"http://+:{port}"]);
    }

    /// <summary>The addresses the app would listen on without a management port.</summary>
    public static IReadOnlyList<string> AppUrls(IConfiguration config)
    {
        static string[] Split(string? s) => (s ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (Split(config[WebHostDefaults.ServerUrlsKey]) is { Length: > 0 } urls) return urls;
        var ports = Split(config["http_ports"]).Select(p => $"http://+:{p}").Concat(Split(config["https_ports"]).Select(p => $"https://+:{p}")).ToArray();
        return ports.Length > 0 ? ports : ["http://localhost:5000"];
    }

    /// <summary>
    /// The Prometheus scrape, answered only for requests that arrived on the management port (the socket's local port, which a
    /// client cannot choose by a header). Placed before authentication: the port is reachable only where the network allows it.
    /// </summary>
    public static void UseCaseHandlingMetricsEndpoint(this WebApplication app)
    {
        // The meter's instruments exist from the start, not from the first report or job (an idle API still reports its gauges).
        app.Services.GetRequiredService<CaseHandlingMetrics>();
        var prometheus = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus;
        if (prometheus.Port is not { } port) return;
        var path = new PathString(prometheus.Path);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(ctx => ctx.Connection.LocalPort == port && ctx.Request.Path == path);
        // The management port serves the scrape and the health endpoints, nothing of the app itself.
        app.Use((ctx, next) =>
        {
            if (ctx.Connection.LocalPort != port || ctx.Request.Path.StartsWithSegments("/health")) return next(ctx);
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}

/// <summary>
/// Keeps only the tags on an allow-list, on every span, and names HTTP spans by method and route template. The request's
/// path (with case and report ids), its query, the client's address and user agent, and error descriptions (which can quote
/// a value) never leave the process. A tag added later by a library is dropped until someone adds it here on purpose.
/// </summary>
public sealed class TelemetryScrubber : BaseProcessor<Activity>
{
    private static readonly HashSet<string> Allowed =
    [
        "http.request.method", "http.route", "http.response.status_code", "url.scheme", "network.protocol.version", "error.type",
        "server.address", "server.port",
        // Npgsql: the statement is parameterised SQL (values travel as parameters, which are not recorded).
        "db.system", "db.system.name", "db.statement", "db.query.text", "db.namespace", "db.name", "db.operation.name",
        "db.response.status_code", "db.npgsql.data_source", "db.connection_id",
        "otel.status_code", "otel.scope.name", "otel.library.name",
        "casehandling.job.type", "casehandling.job.method", "casehandling.outcome", "casehandling.count",
    ];

    public override void OnEnd(Activity activity)
    {
        foreach (var key in activity.TagObjects.Select(t => t.Key).Where(k => !Allowed.Contains(k)).ToList())
            activity.SetTag(key, null);
        if (activity.Source.Name == "Microsoft.AspNetCore")
        {
            var method = activity.GetTagItem("http.request.method") as string ?? "HTTP";
            activity.DisplayName = activity.GetTagItem("http.route") is string route ? $"{method} {route}" : method;
        }
        if (activity.StatusDescription is not null) activity.SetStatus(activity.Status);
    }
}

/// <summary>The meter "CaseHandling": what the app counts itself, and the figures read from the database (cached).</summary>
public sealed class CaseHandlingMetrics
{
    private readonly Counter<long> _reportsAccepted;
    private readonly Histogram<double> _sweepDuration;
    private readonly Counter<long> _mailFailures;
    private readonly Counter<long> _mailSent;

    public CaseHandlingMetrics(IMeterFactory meters, OperationalFigures figures, KeyReserve reserve)
    {
        var meter = meters.Create(Telemetry.Name);
        _reportsAccepted = meter.CreateCounter<long>("casehandling.reports.accepted", "{report}", "Reports accepted by the meldpunt's intake.");
        _sweepDuration = meter.CreateHistogram<double>("casehandling.sweep.duration", "s", "How long one run of the deadline sweep took.");
        _mailFailures = meter.CreateCounter<long>("casehandling.outbox.failures", "{message}",
            "Delivery attempts that failed (outcome: retry, or given_up when the message is listed for the administrator).");
        _mailSent = meter.CreateCounter<long>("casehandling.outbox.sent", "{message}", "Outbox messages the mail server accepted.");
        meter.CreateObservableGauge("casehandling.duties.open", () => figures.Current().Duties.Select(d =>
            new Measurement<long>(d.Open, new KeyValuePair<string, object?>("kind", d.Kind))), "{duty}", "Open duties, by kind.");
        meter.CreateObservableGauge("casehandling.duties.overdue", () => figures.Current().Duties.Select(d =>
            new Measurement<long>(d.Overdue, new KeyValuePair<string, object?>("kind", d.Kind))), "{duty}", "Open duties past their due time, by kind.");
        meter.CreateObservableGauge("casehandling.outbox.backlog", () => figures.Current().OutboxPending, "{message}", "Mail waiting to be delivered.");
        meter.CreateObservableGauge("casehandling.outbox.given_up", () => figures.Current().OutboxGivenUp, "{message}",
            "Mail the outbox gave up on, listed for the administrator.");
        meter.CreateObservableGauge("casehandling.datakeys.reserve", () => (long)reserve.Ready, "{key}",
            "Data keys made ahead for the intake in this process (docs/ENCRYPTION.md); 0 for long means the intake makes keys on save.");
    }

    public void ReportAccepted() => _reportsAccepted.Add(1);
    public void SweepTook(TimeSpan duration) => _sweepDuration.Record(duration.TotalSeconds);
    public void MailSent() => _mailSent.Add(1);
    public void MailFailed(bool givenUp) => _mailFailures.Add(1, new KeyValuePair<string, object?>("outcome", givenUp ? "given_up" : "retry"));
}

/// <summary>
/// Open and overdue duties by kind and the outbox's backlog, read from the database at most every Telemetry:GaugeRefreshSeconds
/// (a scrape never waits for a query: it gets the last figures and starts a refresh when they are old). Counts only.
/// </summary>
public sealed class OperationalFigures(IServiceScopeFactory scopes, TimeProvider time, IOptions<TelemetryOptions> options, ILogger<OperationalFigures> log)
{
    public sealed record DutyCount(string Kind, long Open, long Overdue);
    public sealed record Snapshot(IReadOnlyList<DutyCount> Duties, long OutboxPending, long OutboxGivenUp, DateTimeOffset At);

    private Snapshot _current = new([], 0, 0, DateTimeOffset.MinValue);
    private int _refreshing;

    public Snapshot Current()
    {
        var current = Volatile.Read(ref _current);
        if (time.GetUtcNow() - current.At > TimeSpan.FromSeconds(options.Value.GaugeRefreshSeconds)
            && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
            _ = Task.Run(RefreshAsync);
        return current;
    }

    public async Task RefreshAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
            var now = time.GetUtcNow();
            await db.Database.OpenConnectionAsync();
            try
            {
                var conn = (NpgsqlConnection)db.Database.GetDbConnection();
                var duties = new List<DutyCount>();
                // A closed report's service levels not met are no longer due (docs/JOBS.md, "A closed report"): not counted.
                await using (var cmd = new NpgsqlCommand("""
                    SELECT kind, count(*), count(*) FILTER (WHERE due_at < $1) FROM duties d
                    WHERE met_at IS NULL AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = d.report_id AND r.status = 'Closed')
                    GROUP BY kind ORDER BY kind
                    """, conn))
                {
                    cmd.Parameters.AddWithValue(now);
                    await using var r = await cmd.ExecuteReaderAsync();
                    while (await r.ReadAsync()) duties.Add(new DutyCount(r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
                }
                // Each count walks its own partial index (ix_outbox_pending, ix_outbox_failed), not the delivered mail.
                await using var outbox = new NpgsqlCommand("""
                    SELECT (SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND failed_at IS NULL),
                           (SELECT count(*) FROM outbox_messages WHERE failed_at IS NOT NULL)
                    """, conn);
                await using var o = await outbox.ExecuteReaderAsync();
                await o.ReadAsync();
                Volatile.Write(ref _current, new Snapshot(duties, o.GetInt64(0), o.GetInt64(1), now));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        catch (Exception e)
        {
            // The database away: the last figures stay; readiness says so, not the metrics.
            log.LogDebug("Operational figures not refreshed ({Error})", e.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }
}

/// <summary>A message whose success is an accepted report (the intake's counter, <see cref="CaseHandlingMetrics.ReportAccepted"/>).</summary>
public interface ICountedAsReport;

/// <summary>Counts what the use cases accept; the only message counted so far is an accepted report.</summary>
public sealed class TelemetryBehavior<TMessage, TResponse>(CaseHandlingMetrics metrics) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (message is ICountedAsReport && response is IOutcome { IsSuccess: true }) metrics.ReportAccepted();
        return response;
    }
}

/// <summary>
/// A span around every Hangfire job this process performs, named by the job's class and method. Never its arguments (ids)
/// nor its job id.
/// </summary>
public sealed class JobTracingFilter : IServerFilter
{
    private const string Key = "casehandling.activity";

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var activity = Telemetry.Source.StartActivity($"job {job.Type.Name}.{job.Method.Name}", ActivityKind.Internal);
        if (activity is null) return;
        activity.SetTag("casehandling.job.type", job.Type.Name);
        activity.SetTag("casehandling.job.method", job.Method.Name);
        context.Items[Key] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(Key, out var item) || item is not Activity activity) return;
        if (context.Exception is { } e && !context.ExceptionHandled)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", e.GetType().Name);
        }
        activity.Stop();
    }
}
