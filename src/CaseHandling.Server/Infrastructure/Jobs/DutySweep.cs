using CaseHandling.Domain.Cases.Timeline;
using System.Data;
using System.Globalization;
using CaseHandling.Data;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Duties;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CaseHandling.Server.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace CaseHandling.Server.Infrastructure.Jobs;

public sealed record SweepResult(int Reminders, int Escalations, int Mails);

/// <summary>
/// The deadline sweep. The database is the source of truth: each open duty stores when the next reminder
/// or escalation is due (<c>next_action_at</c>, partial index <c>ix_duties_next_action</c>) and the number of
/// that action (<c>next_action_seq</c>). The sweep takes due duties in batches with FOR UPDATE SKIP LOCKED,
/// so concurrent sweeps never take the same duty, and advances each duty's action number in the same
/// transaction that writes its timeline entry and its outbox mail: running it twice, or on two workers at
/// once, never reminds or escalates twice for the same interval. Set-based SQL (unnest), because a national
/// backlog can bring tens of thousands of due duties at once (docs/PERFORMANCE.md).
/// </summary>
public sealed class DutySweep(
    CaseHandlingDbContext db, DutyRules rules, TimeProvider time, IOptions<NotificationOptions> notifications, IOptions<JobsOptions> jobs, Mail.Links links,
    Configuration.RulesProvider settings)
{
    private const string SystemActor = "system:deadlines";

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        int reminders = 0, escalations = 0, mails = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = await RunBatch(ct);
            reminders += batch.Reminders;
            escalations += batch.Escalations;
            mails += batch.Mails;
            if (batch.Reminders + batch.Escalations < jobs.Value.SweepBatchSize) break;
        }
        return new SweepResult(reminders, escalations, mails);
    }

    private sealed record Due(Guid Id, Guid? CaseId, Guid? ReportId, Guid? IncidentId, DutyKind Kind, StaffRole Responsible, DateTimeOffset DueAt,
        DateTimeOffset[] Reminders, int Seq, int Escalations, DateTimeOffset ScheduledAt, string? CaseNumber, string? CaseState,
        string? BoardEmail, string? InspectorEmail, string? ReportNumber, string? IncidentNumber);

    private async Task<SweepResult> RunBatch(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            var due = await Select(conn, tx, now, ct);
            if (due.Count == 0)
            {
                await tx.CommitAsync(ct);
                return new SweepResult(0, 0, 0);
            }

            var o = notifications.Value;
            var updates = new List<(Guid Id, int Seq, DateTimeOffset Next, int Escalations, DateTimeOffset? LastEscalated)>();
            var events = new List<(Guid Id, Guid CaseId, string State, string Details)>();
            var mail = new List<(string To, string Subject, string Body, string Kind, string Reference)>();
            var audited = new List<(Guid Subject, string Action)>();
            int reminders = 0, escalations = 0;

            foreach (var d in due)
            {
                var reference = d.CaseNumber ?? d.ReportNumber ?? d.IncidentNumber ?? "?";
                var link = d.CaseId is { } c ? links.Case(c) : d.IncidentId is { } inc ? links.Incident(inc) : links.Report(d.ReportId!.Value);
                var subject = d.CaseId ?? d.ReportId ?? d.IncidentId!.Value;
                // The domain decides (NextAction); this sweep only applies its decision to many duties at once.
                var action = NextAction.Decide(new DutySchedule(d.DueAt, d.Reminders, d.Seq, d.ScheduledAt, d.Escalations), now,
                    rules.ReminderPolicy, rules.Calendar);
                if (action is null) continue;
                if (action.Kind == DutyActionKind.Remind)
                {
                    reminders++;
                    audited.Add((subject, "change:DutyReminder"));
                    updates.Add((d.Id, action.Seq, action.NextAt, action.Escalations, null));
                    foreach (var to in ReminderRecipients(d, o))
                        mail.Add((to, $"CaseHandling: herinnering termijn {reference} / deadline reminder {reference}",
                            Body(reference, link, $"De termijn verloopt op {Local(d.DueAt)}.", $"The deadline is {Local(d.DueAt)}."), "Reminder", reference));
                }
                else
                {
                    escalations++;
                    audited.Add((subject, "change:DutyEscalated"));
                    updates.Add((d.Id, action.Seq, action.NextAt, action.Escalations, now));
                    var recipients = EscalationRecipients(d, o, settings.InspectieIntakeEmail(o)).ToList();
                    foreach (var to in recipients)
                        mail.Add((to, $"CaseHandling: termijn verstreken {reference} / deadline passed {reference}",
                            Body(reference, link, $"De termijn is verstreken op {Local(d.DueAt)}.", $"The deadline passed on {Local(d.DueAt)}."), "Escalation", reference));
                    if (d.CaseId is { } caseId)
                        events.Add((Guid.CreateVersion7(now), caseId, d.CaseState!, new DutyEscalated(d.Kind.ToString(), d.DueAt.UtcDateTime.ToString("O"),
                            action.Escalations.ToString(CultureInfo.InvariantCulture),
                            string.Join(",", recipients.Count > 1 ? new[] { "board", "vertrouwensinspecteur" } : new[] { "board" })).ToJson()));
                }
            }

            await WriteUpdates(conn, tx, updates, ct);
            await WriteEvents(conn, tx, events, now, ct);
            await WriteMail(conn, tx, mail, now, ct);
            // The sweep changes cases and reports too: its changes are in their audit trails, in the same transaction.
            await AuditBatch.AppendAsync(conn, tx, audited, SystemActor, "System", now, ct);
            await tx.CommitAsync(ct);
            return new SweepResult(reminders, escalations, mail.Count);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<List<Due>> Select(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT d.id, d.case_id, d.report_id, d.kind, d.responsible, d.due_at, d.reminder_times, d.next_action_seq,
                   d.escalation_count, d.next_action_at, c.number, c.state, i.contact_email, u.email, r.number, d.incident_id, vi.number
            FROM duties d
            LEFT JOIN cases c ON c.id = d.case_id
            LEFT JOIN incidents vi ON vi.id = d.incident_id
            LEFT JOIN institutions i ON i.id = COALESCE(c.institution_id, vi.institution_id)
            LEFT JOIN "AspNetUsers" u ON u.id = c.inspector_user_id
            LEFT JOIN reports r ON r.id = d.report_id
            WHERE d.met_at IS NULL AND d.next_action_at <= @now
            ORDER BY d.next_action_at
            LIMIT @limit
            FOR UPDATE OF d SKIP LOCKED
            """, conn, tx);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("limit", jobs.Value.SweepBatchSize);
        var list = new List<Due>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new Due(
                r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.IsDBNull(2) ? null : r.GetGuid(2), r.IsDBNull(15) ? null : r.GetGuid(15),
                Enum.Parse<DutyKind>(r.GetString(3)), Enum.Parse<StaffRole>(r.GetString(4)),
                r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? [] : r.GetFieldValue<DateTimeOffset[]>(6),
                r.GetInt32(7), r.GetInt32(8), r.GetFieldValue<DateTimeOffset>(9),
                r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11),
                r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14),
                r.IsDBNull(16) ? null : r.GetString(16)));
        return list;
    }

    /// <summary>The responsible party: the board, the inspector of the overleg (or the inspectorate), the meldpunt.</summary>
    private static IEnumerable<string> ReminderRecipients(Due d, NotificationOptions o)
    {
        if (d.ReportId is not null) { yield return o.MeldpuntEmail; yield break; }
        yield return d.Responsible switch
        {
            StaffRole.Vertrouwensinspecteur => d.InspectorEmail ?? o.InspectorateEmail,
            StaffRole.MeldpuntHandler => o.MeldpuntEmail,
            StaffRole.Board or StaffRole.StaffMember or StaffRole.Administrator or StaffRole.Inspectie => d.BoardEmail ?? o.InspectorateEmail,
        };
    }

    /// <summary>
    /// The board's contact and, for the statutory duties of a case, the vertrouwensinspecteur; for an incident's report duty the
    /// Inspectorate's own intake (the report is owed to the Inspectorate, not to the vertrouwensinspecteur).
    /// </summary>
    private static IEnumerable<string> EscalationRecipients(Due d, NotificationOptions o, string inspectieIntake)
    {
        if (d.ReportId is not null) { yield return o.MeldpuntEmail; yield break; }
        if (d.IncidentId is not null)
        {
            if (d.BoardEmail is { } b) yield return b;
            yield return inspectieIntake;
            yield break;
        }
        if (d.BoardEmail is { } board) yield return board;
        yield return d.InspectorEmail ?? o.InspectorateEmail;
    }

    /// <summary>What a mail may say: that something needs attention, and which case. No content, names or incident type.</summary>
    private static string Body(string reference, string link, string nl, string en) =>
        $"""
        Er is een termijn in CaseHandling die aandacht nodig heeft: {reference}.
        {nl}
        Bekijk de zaak: {link}

        A deadline in CaseHandling needs attention: {reference}.
        {en}
        Open it: {link}
        """;

    private static string Local(DateTimeOffset at) =>
        DutchTime.ToLocal(at).ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("nl-NL"));

    private static async Task WriteUpdates(NpgsqlConnection conn, NpgsqlTransaction tx,
        List<(Guid Id, int Seq, DateTimeOffset Next, int Escalations, DateTimeOffset? LastEscalated)> rows, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE duties d SET next_action_seq = u.seq, next_action_at = u.next, escalation_count = u.esc,
                   last_escalated_at = COALESCE(u.last, d.last_escalated_at)
            FROM unnest(@ids, @seqs, @nexts, @escs, @lasts) AS u(id, seq, next, esc, last)
            WHERE d.id = u.id
            """, conn, tx);
        cmd.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        cmd.Parameters.AddWithValue("seqs", rows.Select(r => r.Seq).ToArray());
        cmd.Parameters.AddWithValue("nexts", rows.Select(r => r.Next).ToArray());
        cmd.Parameters.AddWithValue("escs", rows.Select(r => r.Escalations).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("lasts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => (object?)r.LastEscalated ?? DBNull.Value).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Timeline entries, numbered after each case's last entry (two escalations of one case in a batch get consecutive numbers).</summary>
    private static async Task WriteEvents(NpgsqlConnection conn, NpgsqlTransaction tx, List<(Guid Id, Guid CaseId, string State, string Details)> rows,
        DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO case_events (id, case_id, sequence, at, actor_user_id, actor_role, kind, from_state, to_state, details_json)
            SELECT u.id, u.case_id,
                   COALESCE((SELECT max(e.sequence) FROM case_events e WHERE e.case_id = u.case_id), 0)
                     + row_number() OVER (PARTITION BY u.case_id ORDER BY u.ord),
                   @now, @actor, NULL, 'DutyEscalated', u.state, u.state, u.details
            FROM unnest(@ids, @cases, @states, @details) WITH ORDINALITY AS u(id, case_id, state, details, ord)
            """, conn, tx);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("actor", SystemActor);
        cmd.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        cmd.Parameters.AddWithValue("cases", rows.Select(r => r.CaseId).ToArray());
        cmd.Parameters.AddWithValue("states", rows.Select(r => r.State).ToArray());
        cmd.Parameters.AddWithValue("details", rows.Select(r => r.Details).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task WriteMail(NpgsqlConnection conn, NpgsqlTransaction tx,
        List<(string To, string Subject, string Body, string Kind, string Reference)> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO outbox_messages (id, created_at, to_address, subject, body, kind, reference, attempts, next_attempt_at)
            SELECT u.id, @now, u.to_address, u.subject, u.body, u.kind, u.reference, 0, @now
            FROM unnest(@ids, @tos, @subjects, @bodies, @kinds, @refs) AS u(id, to_address, subject, body, kind, reference)
            """, conn, tx);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("ids", rows.Select(_ => Guid.CreateVersion7(now)).ToArray());
        cmd.Parameters.AddWithValue("tos", rows.Select(r => r.To).ToArray());
        cmd.Parameters.AddWithValue("subjects", rows.Select(r => r.Subject).ToArray());
        cmd.Parameters.AddWithValue("bodies", rows.Select(r => r.Body).ToArray());
        cmd.Parameters.AddWithValue("kinds", rows.Select(r => r.Kind).ToArray());
        cmd.Parameters.AddWithValue("refs", rows.Select(r => r.Reference).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// The recurring Hangfire job: no arguments. After a sweep that wrote mail, delivery is enqueued at once.
/// No Hangfire lock against concurrent runs: the sweep is safe to run twice at once (see <see cref="DutySweep"/>), and a
/// lock held by a worker that was killed mid-sweep outlives it (Hangfire.PostgreSql frees it after ten minutes), so that
/// every sweep after the crash waited for it and failed, and deadlines went unescalated meanwhile (docs/RELIABILITY.md).
/// </summary>
public sealed class DutySweepJob(DutySweep sweep, IBackgroundJobClient jobs, Operations.CaseHandlingMetrics metrics)
{
    [Hangfire.AutomaticRetry(Attempts = 3)]
    public async Task Run(CancellationToken cancellationToken)
    {
        using var activity = Operations.Telemetry.Source.StartActivity("duty sweep");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await sweep.RunAsync(cancellationToken);
        metrics.SweepTook(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        activity?.SetTag("casehandling.count", result.Reminders + result.Escalations);
        if (result.Mails > 0) jobs.Enqueue<Mail.OutboxDeliveryJob>(j => j.Run(CancellationToken.None));
    }
}
