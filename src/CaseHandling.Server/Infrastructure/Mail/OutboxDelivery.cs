using CaseHandling.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Infrastructure.Mail;

/// <summary>A seam for failure tests: called after the SMTP server accepted a message and before it is marked sent.</summary>
public interface IDeliveryProbe
{
    Task AfterSendAsync(OutboxMessage message);
}

public sealed class NoDeliveryProbe : IDeliveryProbe
{
    public Task AfterSendAsync(OutboxMessage message) => Task.CompletedTask;
}

/// <summary>
/// Delivers outbox mail. A worker claims a batch (FOR UPDATE SKIP LOCKED, so workers never share a message),
/// sends each over one SMTP session, and marks it sent. When the SMTP server is down, the messages get
/// back-off (30 s doubling up to an hour) and are tried again by the next run.
///
/// Exactly once, where that can be done: a message is marked sent in its own statement right after the
/// server accepted it. If the process dies in between (after the server's "250 OK", before that update
/// commits), the claim expires and the message is sent again. That window cannot be closed with SMTP,
/// which has no idempotent submit; the resend carries the same Message-Id, so mail systems and clients
/// that de-duplicate on it show it once. See docs/JOBS.md.
/// </summary>
public sealed class OutboxDelivery(CaseHandlingDbContext db, Encryption.DataKeys keys, MailSender sender, IDeliveryProbe probe, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<MailOptions> options, ILogger<OutboxDelivery> log, Operations.CaseHandlingMetrics metrics)
{
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);
    private const int BatchSize = 50;

    /// <summary>Delivers what is due; returns how many were sent.</summary>
    public async Task<int> DeliverAsync(CancellationToken ct)
    {
        // A span per run and per message sent: timings and outcomes only, never an address, a subject or a message id.
        using var run = Operations.Telemetry.Source.StartActivity("outbox deliver");
        var sent = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = await Claim(ct);
            if (batch.Count == 0) break;
            IMailSession session;
            try
            {
                session = await sender.OpenAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The server is unreachable: every claimed message waits for its back-off.
                log.LogWarning("Mail server unavailable ({Error}); {Count} message(s) will be retried", e.GetType().Name, batch.Count);
                foreach (var m in batch) await Failed(m, e, ct);
                break;
            }
            await using (session)
            {
                foreach (var claimed in batch)
                {
                    // A notice of a reply is addressed now, from the report's sealed address; without one it is not sent at all.
                    if (await ReplyNotice.ResolveAsync(claimed, db, keys, ct) is not { } m)
                    {
                        await db.Outbox.Where(x => x.Id == claimed.Id).ExecuteDeleteAsync(ct);
                        continue;
                    }
                    using (var send = Operations.Telemetry.Source.StartActivity("mail send", System.Diagnostics.ActivityKind.Client))
                    {
                        try
                        {
                            await session.SendAsync(m, ct);
                            send?.SetTag("casehandling.outcome", "accepted");
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            send?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
                            send?.SetTag("error.type", e.GetType().Name);
                            log.LogWarning("Sending outbox message {Id} failed ({Error})", m.Id, e.GetType().Name);
                            await Failed(m, e, ct);
                            continue;
                        }
                    }
                    metrics.MailSent();
                    await probe.AfterSendAsync(m);
                    var now = time.GetUtcNow();
                    await db.Outbox.Where(x => x.Id == m.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.SentAt, now).SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), ct);
                    sent++;
                }
            }
        }
        run?.SetTag("casehandling.count", sent);
        return sent;
    }

    private async Task<List<OutboxMessage>> Claim(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.Outbox.FromSqlInterpolated($"""
            UPDATE outbox_messages SET claimed_until = {now + ClaimFor}, attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox_messages
                         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= {now} AND (claimed_until IS NULL OR claimed_until < {now})
                         ORDER BY next_attempt_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
    }

    private async Task Failed(OutboxMessage m, Exception e, CancellationToken ct)
    {
        // Given up: the server refused this message for good (RFC 5321: a 5yz reply is permanent, e.g. 550 no such
        // mailbox), or it failed Mail:MaxAttempts times. It stays in the outbox, listed for the administrator.
        var permanent = e is MailKit.Net.Smtp.SmtpCommandException { StatusCode: var code } && (int)code >= 500;
        var givenUp = permanent || m.Attempts >= options.Value.MaxAttempts;
        metrics.MailFailed(givenUp);
        if (givenUp)
        {
            log.LogError("Outbox message {Id} could not be delivered after {Attempts} attempt(s) ({Error}); given up, listed for the administrator",
                m.Id, m.Attempts, ErrorOf(e));
            var failedAt = time.GetUtcNow();
            await db.Outbox.Where(x => x.Id == m.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null)
                .SetProperty(x => x.FailedAt, failedAt)
                .SetProperty(x => x.LastError, ErrorOf(e)), ct);
            return;
        }
        var backoff = TimeSpan.FromSeconds(Math.Min(3600, options.Value.RetryAfterSeconds * Math.Pow(2, Math.Max(0, m.Attempts - 1))));
        var next = time.GetUtcNow() + backoff;
        var error = ErrorOf(e);
        await db.Outbox.Where(x => x.Id == m.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null)
            .SetProperty(x => x.NextAttemptAt, next)
            .SetProperty(x => x.LastError, error), ct);
    }

    /// <summary>The kind of failure only (never the server's text, which may quote the address).</summary>
    private static string ErrorOf(Exception e) => e is MailKit.Net.Smtp.SmtpCommandException smtp ? $"SMTP {(int)smtp.StatusCode}" : e.GetType().Name;
}

/// <summary>The Hangfire job: no arguments; our own back-off handles retries, so Hangfire's are off.</summary>
public sealed class OutboxDeliveryJob(OutboxDelivery delivery)
{
    [AutomaticRetry(Attempts = 0)]
    public Task Run(CancellationToken cancellationToken) => delivery.DeliverAsync(cancellationToken);
}
