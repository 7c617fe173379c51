using System.Linq.Expressions;
using System.Net;
using System.Net.Sockets;
using CaseHandling.Server.Infrastructure.Mail;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using netDumbster.smtp;
using Npgsql;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>
/// A host that runs a real Hangfire server on its own PostgreSQL database, with its clock under the test's
/// control (FakeTimeProvider) and mail going over real SMTP on loopback to netDumbster. One per test: the clock,
/// the database its duties live in and the SMTP server are that test's alone. Dispose it at the end of the test,
/// so that its Hangfire server stops polling.
/// </summary>
public sealed class JobHost : IAsyncDisposable
{
    public required TestHost Host { get; init; }
    public required FakeTimeProvider Clock { get; init; }
    public required int SmtpPort { get; init; }
    public SimpleSmtpServer? Smtp { get; private set; }

    public const string InspectorateEmail = "inspectie@test.casehandling.nl";
    public const string MeldpuntEmail = "meldpunt-team@test.casehandling.nl";

    public static async Task<JobHost> Start(string name, DateTimeOffset start, Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null,
        bool kestrel = false)
    {
        var clock = new FakeTimeProvider(start);
        // The SMTP server first, so that the host is configured with the port it really listens on.
        var smtp = StartSmtpOnAFreePort();
        var port = smtp.Configuration.Port;
        var all = new Dictionary<string, string?>
        {
            ["Jobs:Mode"] = "All",
            ["Jobs:QueuePollSeconds"] = "0.2",
            ["Jobs:SchedulePollSeconds"] = "1",
            ["Jobs:WorkerCount"] = "2",
            // The recurring jobs never fire by themselves here: each test runs them when its clock is where it wants.
            ["Jobs:SweepCron"] = Cron.Never(),
            ["Jobs:DeliveryCron"] = Cron.Never(),
            ["Jobs:RetentionCron"] = Cron.Never(),
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = port.ToString(),
            ["Mail:Security"] = "None",
            ["Notifications:InspectorateEmail"] = InspectorateEmail,
            ["Notifications:MeldpuntEmail"] = MeldpuntEmail,
        };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        TestHost host;
        try
        {
            // kestrel: on a real socket, for a browser test that follows a mail's link.
            host = await TestHost.Get(name, all, kestrel: kestrel, services: s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                services?.Invoke(s);
            });
        }
        catch
        {
            smtp.Dispose();
            throw;
        }
        var jobHost = new JobHost { Host = host, Clock = clock, SmtpPort = port };
        jobHost.Smtp = smtp;
        return jobHost;
    }

    /// <summary>
    /// netDumbster 3.1.1 does listen on port 0, but does not say which port the OS gave it (Configuration.Port stays 0).
    /// So: ask the OS for a free port and start there; if another process took it in the meantime, start fails
    /// (SocketException) and we try the next one.
    /// </summary>
    private static SimpleSmtpServer StartSmtpOnAFreePort()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return StartSmtp(FreePort());
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
            }
        }
    }

    private static SimpleSmtpServer StartSmtp(int port) =>
        Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(port).Build();

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts the SMTP server again after <see cref="StopSmtp"/>, on the port the host sends to.</summary>
    public void StartSmtp()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Smtp = StartSmtp(SmtpPort);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }

    public void StopSmtp()
    {
        Smtp?.Stop();
        Smtp?.Dispose();
        Smtp = null;
    }

    public async ValueTask DisposeAsync()
    {
        StopSmtp();
        await TestHost.Discard(Host);
    }

    public IReadOnlyList<SmtpMessage> Mails => Smtp?.ReceivedEmail ?? [];

    public IReadOnlyList<SmtpMessage> MailsAbout(string reference) => Mails.Where(m => m.Subject.Contains(reference)).ToList();

    /// <summary>
    /// How long a test waits for the job server or the mail before it gives up. Generous: these are waits, not
    /// assertions, and with fixtures in parallel (and other builds) on two cores a job can take many times its usual second.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Enqueues a job on the real Hangfire server and waits until it has run; returns its final state.</summary>
    public async Task<string> Run<T>(Expression<Func<T, Task>> job)
    {
        var id = Host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(job);
        var monitor = Host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var state = monitor.JobDetails(id)?.History.FirstOrDefault()?.StateName;
            if (state is "Succeeded" or "Failed" or "Deleted") return state;
            await Task.Delay(50);
        }
        // Say what became of it: a job that threw is retried (Scheduled, with the exception in the reason), and
        // Hangfire's own log may have gone to another host's logger (its log provider is process-wide).
        var history = monitor.JobDetails(id)?.History.AsEnumerable().Reverse()
            .Select(h => $"{h.StateName}{(h.Reason is { Length: > 0 } r ? $" ({r})" : "")}"
                         + (h.Data.TryGetValue("ExceptionMessage", out var e) ? $": {e}" : ""));
        throw new TimeoutException($"job {id} did not finish within {Patience.TotalSeconds} s; states: {string.Join(" -> ", history ?? ["none"])}; " +
                                   $"servers: {monitor.Servers().Count}");
    }

    public Task<string> Sweep() => Run<CaseHandling.Server.Infrastructure.Jobs.DutySweepJob>(j => j.Run(CancellationToken.None));

    public Task<string> Deliver() => Run<OutboxDeliveryJob>(j => j.Run(CancellationToken.None));

    /// <summary>
    /// Sweeps, delivers, and waits until no mail that is due is left unsent (the sweep also enqueues a delivery
    /// of its own, which may be the one that sends); fails if some is still unsent after the wait.
    /// </summary>
    public async Task SweepAndDeliver()
    {
        Assert.That(await Sweep(), Is.EqualTo("Succeeded"));
        Assert.That(await Deliver(), Is.EqualTo("Succeeded"));
        var deadline = DateTime.UtcNow + Patience;
        long unsent;
        while ((unsent = await Scalar<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND next_attempt_at <= @now",
                   ("now", Clock.GetUtcNow()))) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.That(unsent, Is.Zero, $"mail that is due still unsent after {Patience.TotalSeconds} s");
    }

    public async Task<T> Scalar<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<(DateTimeOffset Due, DateTimeOffset[] Reminders)> Duty(Guid subjectId, string kind)
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT due_at, reminder_times FROM duties WHERE (case_id = @s OR report_id = @s OR incident_id = @s) AND kind = @k", conn);
        cmd.Parameters.AddWithValue("s", subjectId);
        cmd.Parameters.AddWithValue("k", kind);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.That(await r.ReadAsync(), $"no {kind} duty");
        return (r.GetFieldValue<DateTimeOffset>(0), r.GetFieldValue<DateTimeOffset[]>(1));
    }
}
