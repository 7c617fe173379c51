using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Text;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Operations;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CaseHandling.Server.Tests.Operations;

/// <summary>
/// Traces and metrics (docs/OPERATIONS.md), collected through the real app: a test exporter beside the app's own pipeline,
/// and the Prometheus scrape as an operator's scraper reads it.
/// </summary>
public sealed class TelemetryTests
{
    private const int ManagementPort = 19464;

    /// <summary>A request as it arrives on a port of the server (the test server has no sockets; the local port is the socket's).</summary>
    private static async Task<(int Status, string Body)> Scrape(TestHost host, int localPort, string? hostHeader = null, string path = "/metrics")
    {
        var ctx = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Connection.LocalPort = localPort;
            if (hostHeader is not null) c.Request.Host = new Microsoft.AspNetCore.Http.HostString(hostHeader);
        });
        using var reader = new StreamReader(ctx.Response.Body);
        return (ctx.Response.StatusCode, await reader.ReadToEndAsync());
    }

    [Test]
    public async Task PrometheusScrape_OnlyOnTheManagementPort_OtherwiseNotFound()
    {
        var host = await TestHost.Get("telemetry-scrape", new() { ["Telemetry:Prometheus:Port"] = ManagementPort.ToString() });
        var w = await World.Create(host);
        await (await w.Anonymous.Post("/api/reports", Report(w.InstitutionId, "x", "x", null, null))).Read<ReportReceipt>(HttpStatusCode.Created);

        var (status, body) = await Scrape(host, ManagementPort);
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body, Does.Contain("casehandling_reports_accepted").And.Contain("http_server_request_duration_seconds"));

        // The public port (what the ingress forwards to), also with the management port named in the Host header: not there.
        Assert.That((await Scrape(host, 8080)).Status, Is.EqualTo(404));
        Assert.That((await Scrape(host, 8080, $"localhost:{ManagementPort}")).Status, Is.EqualTo(404));
        using var viaClient = await host.CreateClient().GetAsync("/metrics");
        Assert.That(viaClient.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        // The management port serves the scrape and health, nothing of the app.
        Assert.That((await Scrape(host, ManagementPort, path: "/api/reports/institutions")).Status, Is.EqualTo(404));
        Assert.That((await Scrape(host, ManagementPort, path: "/melden")).Status, Is.EqualTo(404));
        Assert.That(await Scrape(host, ManagementPort, path: Health.ReadyPath), Is.EqualTo((200, "Healthy")));
    }

    /// <summary>
    /// Spans only where they can go (docs/OPERATIONS.md): without an OTLP collector the app has no tracer provider, so nothing
    /// listens and no request or SQL command makes a span (each was made, scrubbed and thrown away, docs/PERFORMANCE.md);
    /// with one, or with Telemetry:Tracing, it has.
    /// </summary>
    [Test]
    public async Task Tracing_OnlyWhereSpansCanGo()
    {
        var plain = await TestHost.Get();
        Assert.That(plain.Services.GetService<TracerProvider>(), Is.Null, "no collector configured: no tracer provider");
        // The app's own telemetry set-up with Telemetry:Tracing, in a container of its own that is disposed at once (a tracer
        // provider listens to the whole process: a cached test host with one would make every other host's spans too).
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:Tracing"] = "true" }).Build();
        await using (var traced = new ServiceCollection().AddLogging().AddCaseHandlingTelemetry(config).BuildServiceProvider())
            Assert.That(traced.GetService<TracerProvider>(), Is.Not.Null);
        await using (var untraced = new ServiceCollection().AddLogging().AddCaseHandlingTelemetry(new ConfigurationBuilder().Build()).BuildServiceProvider())
            Assert.That(untraced.GetService<TracerProvider>(), Is.Null);

        Assert.That(new TelemetryOptions().TracesOn, Is.False);
        Assert.That(new TelemetryOptions { Otlp = { Endpoint = "http://otel-collector:4317" } }.TracesOn, Is.True);
        Assert.That(new TelemetryOptions { Otlp = { Endpoint = "http://otel-collector:4317" }, Tracing = false }.TracesOn, Is.False);
        Assert.That(new TelemetryOptions { Tracing = true }.TracesOn, Is.True);
    }

    [Test]
    public async Task PrometheusScrape_NoPortConfigured_NoScrapeAnywhere()
    {
        var host = await TestHost.Get();
        Assert.That((await Scrape(host, ManagementPort)).Status, Is.EqualTo(404));
    }

    /// <summary>
    /// Markers in every field a person fills in (report text, names, e-mail addresses, phone, the accused), a case id and a
    /// report id in URLs, a receipt code in a body and a query string, a case number in a query: then the jobs run and mail
    /// goes out. None of it appears in a span (name, tags, events, status), a metric (name, labels), the scrape or a log line;
    /// and the telemetry is there (so the search searched something).
    /// </summary>
    [Test]
    public async Task Telemetry_MarkersInEveryField_AppearNowhere()
    {
        var spans = new LockedList<Activity>();
        var metrics = new LockedList<MetricSnapshot>();
        await using var j = await JobHost.Start("telemetry-markers", DateTimeOffset.UtcNow, services: s =>
        {
            s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(spans));
            s.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(metrics));
        // Spans are made only where they can go (Telemetry:Tracing, by default an OTLP collector): the test's exporter is such a place.
        }, settings: new() { ["Telemetry:Prometheus:Port"] = ManagementPort.ToString(), ["Telemetry:Tracing"] = "true" });
        var host = j.Host;
        var w = await World.Create(host);
        var tag = Guid.NewGuid().ToString("N")[..8];
        string M(string field) => $"Mrk{field}{tag}";
        var markers = new List<string>();
        string Add(string m) { markers.Add(m); return m; }

        // Staff: an account whose name and e-mail are markers, signing in with them.
        var email = Add($"mrk-{tag}@marker.example.org");
        await (await w.Admin.Post("/api/admin/users", new CreateUser(email, Add(M("DisplayName")), World.Password, StaffRole.Board, w.InstitutionId)))
            .Read<UserView>(HttpStatusCode.Created);
        var board = await World.SignIn(host, email, World.Password);

        // A case with its facts, read by id in the API, on its page and in a query string.
        var c = await (await board.Post("/api/cases", new RegisterCase(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
            AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddHours(-1), Add(M("Facts"))))).Read<CaseRef>(HttpStatusCode.Created);
        markers.AddRange([c.Id.ToString(), c.Id.ToString("N"), c.Number]);
        await (await board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = w.InspectorId, factsGiven = Add(M("FactsGiven")) })).Read<CaseRef>();
        (await board.GetAsync($"/api/cases/{c.Id}")).EnsureSuccessStatusCode();
        (await board.GetAsync($"/api/cases/{c.Id}/access-log")).EnsureSuccessStatusCode();
        (await board.GetAsync($"/portaal/zaken/{c.Id}")).EnsureSuccessStatusCode();
        (await board.GetAsync($"/api/cases?number={Uri.EscapeDataString(c.Number)}")).EnsureSuccessStatusCode();
        (await w.OtherBoard.GetAsync($"/api/cases/{c.Id}")).Dispose(); // another institution's board: 404, with the id in the URL

        // A report with every field filled; followed up with its receipt code; read by the handler by its id.
        var receipt = await (await w.Anonymous.Post("/api/reports", Report(w.InstitutionId, Add(M("WhatHappened")), Add(M("WhenHappened")),
            Add(M("ContactName")), Add($"melder-{tag}@marker.example.org")) with
            {
                ContactPhone = Add($"06{Random.Shared.Next(10_000_000, 99_999_999)}"),
                Department = Add(M("Department")),
                AccusedName = Add(M("AccusedName")),
                AccusedEmail = Add($"beschuldigde-{tag}@marker.example.org"),
                AccusedStaffNumber = Add(M("StaffNo")),
            })).Read<ReportReceipt>(HttpStatusCode.Created);
        markers.Add(receipt.ReceiptCode);
        await (await w.Anonymous.Post("/api/reports/status", new { receiptCode = receipt.ReceiptCode })).Read<ReportStatusView>();
        await (await w.Anonymous.Post("/api/reports/messages", new { receiptCode = receipt.ReceiptCode, text = Add(M("ReporterMessage")) })).Read<ReportStatusView>();
        (await w.Anonymous.GetAsync($"/opvolgen?code={Uri.EscapeDataString(receipt.ReceiptCode)}")).Dispose();
        var reportId = await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);
        markers.AddRange([reportId.ToString(), reportId.ToString("N")]);
        (await w.Handler.GetAsync($"/api/meldpunt/reports/{reportId}")).EnsureSuccessStatusCode();
        (await w.Handler.Post($"/api/meldpunt/reports/{reportId}/messages", new { kind = "Acknowledgement", text = Add(M("HandlerMessage")) })).EnsureSuccessStatusCode();

        // The deadlines pass: the sweep reminds and escalates, and the outbox sends the mail.
        j.Clock.Advance(TimeSpan.FromDays(10));
        await j.SweepAndDeliver();
        Assert.That(j.Mails, Is.Not.Empty, "mail went out");

        await host.Services.GetRequiredService<OperationalFigures>().RefreshAsync();
        var (scrapeStatus, scrape) = await Scrape(host, ManagementPort);
        Assert.That(scrapeStatus, Is.EqualTo(200));
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var ours = spans.Snapshot();
        var exported = new StringBuilder();
        foreach (var a in ours)
        {
            exported.AppendLine($"{a.Source.Name} {a.DisplayName} {a.OperationName} {a.StatusDescription} {a.Kind}");
            foreach (var t in a.TagObjects) exported.AppendLine($"  {t.Key}={t.Value}");
            foreach (var e in a.Events) exported.AppendLine($"  event {e.Name} " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}")));
            foreach (var b in a.Baggage) exported.AppendLine($"  baggage {b.Key}={b.Value}");
        }
        foreach (var m in metrics.Snapshot())
        {
            exported.AppendLine($"{m.MeterName} {m.Name} {m.Description} {m.Unit}");
            foreach (var p in m.MetricPoints)
                foreach (var t in p.Tags) exported.AppendLine($"  {t.Key}={t.Value}");
        }
        var text = exported.ToString();

        // It was all there: request spans by route template, SQL, the jobs and the mail; the meter's own figures.
        Assert.That(ours.Any(a => a.DisplayName == "GET /api/cases/{id:guid}"), "HTTP spans named by route template");
        Assert.That(ours.Any(a => a.Source.Name == "Npgsql" && (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")) is not null), "SQL spans");
        Assert.That(ours.Any(a => a.DisplayName == "job DutySweepJob.Run"), "the sweep's job span");
        Assert.That(ours.Any(a => a.DisplayName == "mail send" && (string?)a.GetTagItem("casehandling.outcome") == "accepted"), "a mail span");
        Assert.That(text, Does.Contain("casehandling.reports.accepted").And.Contain("casehandling.sweep.duration").And.Contain("http.server.request.duration"));
        Assert.That(scrape, Does.Contain("casehandling_duties_open{").And.Contain("casehandling_outbox_backlog").And.Contain("casehandling_datakeys_reserve"));

        var logs = string.Join("\n", host.Logs.Lines);
        var found = markers.SelectMany(m => new[] { ("telemetry", text), ("scrape", scrape), ("logs", logs) }
            .Where(x => x.Item2.Contains(m, StringComparison.OrdinalIgnoreCase)).Select(x => $"{m} in {x.Item1}")).ToList();
        Assert.That(found, Is.Empty, string.Join("\n", found));
    }

    private static SubmitReport Report(Guid institution, string what, string when, string? name, string? email) =>
        new(ReporterKind.Student, name is null, name, email, null, IncidentType.Bullying, what, when, institution, null, AccusedRole.MetTakenBelastPersoon,
            VictimWho.Reporter, VictimAgeAnswer.Minor, Destination.MeldpuntOnly);

    /// <summary>The exporters write from several threads; the test reads a copy.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];
        public List<T> Snapshot() { lock (_items) return [.. _items]; }
        public void Add(T item) { lock (_items) _items.Add(item); }
        public void Clear() { lock (_items) _items.Clear(); }
        public bool Contains(T item) { lock (_items) return _items.Contains(item); }
        public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
        public bool Remove(T item) { lock (_items) return _items.Remove(item); }
        public int Count { get { lock (_items) return _items.Count; } }
        public bool IsReadOnly => false;
        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
