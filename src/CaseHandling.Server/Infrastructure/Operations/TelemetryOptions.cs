namespace CaseHandling.Server.Infrastructure.Operations;

/// <summary>
/// Telemetry (docs/OPERATIONS.md). Spans are made only where they can go (see Tracing), metrics as ever; where they
/// go is configured here: an OTLP collector (Telemetry:Otlp:Endpoint) and a Prometheus scrape on a management port of its
/// own (Telemetry:Prometheus:Port), which the public address never answers.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public OtlpOptions Otlp { get; set; } = new();
    public PrometheusOptions Prometheus { get; set; } = new();
    /// <summary>How old the figures read from the database (open duties, outbox backlog) may be when a scrape asks for them.</summary>
    public int GaugeRefreshSeconds { get; set; } = 30;

    /// <summary>
    /// Whether spans are made at all. By default only with an OTLP collector, the one place they can go: without one, a span
    /// for every request and every SQL command was made, scrubbed and thrown away (docs/PERFORMANCE.md). True: always (an
    /// exporter of one's own, a test's); false: never.
    /// </summary>
    public bool? Tracing { get; set; }

    /// <summary>Spans are made: <see cref="Tracing"/> if set, else whether an OTLP collector is configured.</summary>
    public bool TracesOn => Tracing ?? Otlp.Endpoint is { Length: > 0 };

    public sealed class OtlpOptions
    {
        /// <summary>An OTLP collector (e.g. http://otel-collector:4317); none: nothing is pushed.</summary>
        public string? Endpoint { get; set; }
    }

    public sealed class PrometheusOptions
    {
        /// <summary>
        /// The management port the scrape is served on, besides the app's own address; none: no scrape endpoint. A request
        /// for the scrape path on any other port (the public one behind the ingress) is not answered by it (404).
        /// </summary>
        public int? Port { get; set; }
        public string Path { get; set; } = "/metrics";
    }
}
