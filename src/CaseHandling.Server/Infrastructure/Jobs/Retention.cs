using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Domain.Retention;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CaseHandling.Server.Infrastructure.Jobs;

/// <summary>The retention periods per outcome (docs/RETENTION.md); unnamed outcomes keep the default.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Outcome name → period, e.g. "Aangifte": "120mo", "MeldpuntReport": "365d".</summary>
    public Dictionary<string, string> Periods { get; set; } = [];

    public RetentionPolicy Build() => RetentionPolicy.From(Periods);
}

/// <summary>
/// Erases cases and reports whose retention period has ended (AVG art. 5(1)(e), storage limitation): destroys the
/// subject's data key (crypto-shredding: every copy of the ciphertext, backups included, becomes unreadable), blanks
/// the sealed fields and the staff ids on the subject's rows, and keeps the codes and dates that the anonymous
/// counts are made of. A subject on legal hold is left as it is. Each erasure is one transaction with its audit entry.
/// </summary>
public sealed class RetentionRun(CaseHandlingDbContext db, DataKeys keys, AuditTrail audit, DutyRules rules, IOptions<RetentionOptions> options,
    TimeProvider time, ILogger<RetentionRun> log, Configuration.RulesProvider settings)
{
    public sealed record Outcome(int CasesErased, int ReportsErased, int IncidentsErased = 0);

    public async Task<Outcome> RunAsync(CancellationToken ct)
    {
        // The configured periods, with the incident register's period as the administrator set it (if set).
        var policy = settings.Retention(options.Value);
        var now = time.GetUtcNow();

        var closedCases = await db.Cases.AsNoTracking()
            .Where(c => c.ClosedAt != null && c.ClosedFrom != null && c.ErasedAt == null && !c.LegalHold)
            .Select(c => new { c.Id, ClosedAt = c.ClosedAt!.Value, ClosedFrom = c.ClosedFrom!.Value })
            .ToListAsync(ct);
        var casesErased = 0;
        foreach (var c in closedCases.Where(c => policy.ErasableFrom(RetentionPolicy.OutcomeOf(c.ClosedFrom), c.ClosedAt, rules.Calendar) <= now))
            if (await EraseAsync(c.Id, isCase: true, now, ct)) casesErased++;

        var closedReports = await db.Reports.AsNoTracking()
            .Where(r => r.ClosedAt != null && r.ErasedAt == null && !r.LegalHold)
            .Select(r => new { r.Id, ClosedAt = r.ClosedAt!.Value })
            .ToListAsync(ct);
        var reportsErased = 0;
        foreach (var r in closedReports.Where(r => policy.ErasableFrom(RetentionOutcome.MeldpuntReport, r.ClosedAt, rules.Calendar) <= now))
            if (await EraseAsync(r.Id, isCase: false, now, ct)) reportsErased++;

        // The incident register: from registration, once no report to the Inspectorate is still owed (an open duty keeps it);
        // an incident on legal hold is left as it is.
        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => i.ErasedAt == null && !i.LegalHold && !i.Duties.Any(d => d.MetAt == null))
            .Select(i => new { i.Id, i.RegisteredAt })
            .ToListAsync(ct);
        var incidentsErased = 0;
        foreach (var i in incidents.Where(i => policy.ErasableFrom(RetentionOutcome.IncidentRegister, i.RegisteredAt, rules.Calendar) <= now))
            if (await EraseIncidentAsync(i.Id, now, ct)) incidentsErased++;

        // Idempotency-Keys are remembered for a day (Infrastructure/Http/Idempotency.cs); their sealed answers go after it.
        var forgetBefore = now - CaseHandling.Server.Infrastructure.Http.IdempotencyStore.Window;
        await db.IdempotentRequests.Where(r => r.CreatedAt < forgetBefore).ExecuteDeleteAsync(ct);

        var leftovers = await DestroyLeftoverKeysAsync(ct);
        if (leftovers > 0) log.LogWarning("Retention: destroyed {Keys} keys of subjects erased by an earlier run that did not finish", leftovers);

        // Counts only: no ids, no content.
        log.LogInformation("Retention: erased {Cases} cases, {Reports} reports and {Incidents} incidents", casesErased, reportsErased, incidentsErased);
        return new Outcome(casesErased, reportsErased, incidentsErased);
    }

    private async Task<bool> EraseAsync(Guid subject, bool isCase, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Under the row lock, checked again: a legal hold placed since the list was read wins.
        var root = isCase ? "cases" : "reports";
        // Table and column names come from the EF model, never from input.
        var lockSql = $"SELECT id AS \"Value\" FROM {root} WHERE id = {{0}} AND erased_at IS NULL AND legal_hold = false FOR UPDATE";
        var stillDue = await db.Database.SqlQueryRaw<Guid>(lockSql, subject).ToListAsync(ct);
        if (stillDue.Count == 0) return false;

        foreach (var spec in SealedFields.Table.Where(s => isCase ? s.Type == typeof(Case) || s.Type == typeof(CaseEvent) : s.Type == typeof(Report) || s.Type == typeof(ReportMessage) || s.Type == typeof(ReportAccused)))
        {
            var columns = SealedFields.ColumnsOf(db.Model, spec);
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                var blankSql = $"UPDATE {columns.Table} SET {columns.Fields[i]} = @erased WHERE {columns.Subject} = @subject";
                await db.Database.ExecuteSqlRawAsync(blankSql,
                    [new NpgsqlParameter("erased", NpgsqlDbType.Text) { Value = (object?)spec.Fields[i].Erased ?? DBNull.Value }, new NpgsqlParameter("subject", subject)], ct);
            }
        }
        // Staff ids are personal data too; who did what stays in the audit trail, which the law requires to keep.
        // The case's sent mails (number, link, addressee) go too.
        if (isCase)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE cases SET erased_at = {now}, opened_by_user_id = '', inspector_user_id = CASE WHEN inspector_user_id IS NULL THEN NULL ELSE '' END WHERE id = {subject}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE case_events SET actor_user_id = '' WHERE case_id = {subject}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE duties SET assignee_user_id = NULL WHERE case_id = {subject}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND reference = (SELECT number FROM cases WHERE id = {subject})", ct);
        }
        else
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE reports SET erased_at = {now} WHERE id = {subject}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE report_messages SET handler_user_id = NULL WHERE report_id = {subject}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE report_account_versions SET handler_user_id = NULL WHERE report_id = {subject}", ct);
            // The files' sealed chunks go too (the destroyed key already makes them unreadable, in backups as well).
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM report_file_chunks WHERE file_id IN (SELECT id FROM report_files WHERE report_id = {subject})", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE report_file_accesses SET user_id = '' WHERE report_id = {subject}", ct);
            // An erased report names no one any more: its keyed hashes go, so it matches nothing (docs/MATCHING.md).
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM accused_identifiers WHERE report_id = {subject}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND reference = (SELECT number FROM reports WHERE id = {subject})", ct);
        }
        await audit.RecordAsync(subject, "erase:retention", "system:retention", "System", ct);
        await tx.CommitAsync(ct);

        // The key goes once the erasure is committed: from then on a legal hold is refused (the subject is erased),
        // and should this fail, the next run destroys the keys of erased subjects that are still live.
        await keys.DestroyAsync(subject, ct);
        return true;
    }

    /// <summary>
    /// Erases one registered incident: what was done is blanked, the pupil number's keyed hash and who registered it go, and the
    /// data key is destroyed. The codes and dates stay, so the register's counts and the figures add up as before.
    /// </summary>
    private async Task<bool> EraseIncidentAsync(Guid subject, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Under the row lock, checked again: a legal hold placed since the list was read wins.
        var stillDue = await db.Database.SqlQueryRaw<Guid>(
            "SELECT id AS \"Value\" FROM incidents WHERE id = {0} AND erased_at IS NULL AND legal_hold = false FOR UPDATE", subject).ToListAsync(ct);
        if (stillDue.Count == 0) return false;
        var spec = SealedFields.ByType[typeof(Domain.Incidents.Incident)];
        var columns = SealedFields.ColumnsOf(db.Model, spec);
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            // Table and column names come from the EF model, never from input.
            var blankSql = $"UPDATE {columns.Table} SET {columns.Fields[i]} = @erased WHERE {columns.Subject} = @subject";
            await db.Database.ExecuteSqlRawAsync(blankSql, [new NpgsqlParameter("erased", NpgsqlDbType.Text) { Value = (object?)spec.Fields[i].Erased ?? DBNull.Value }, new NpgsqlParameter("subject", subject)], ct);
        }
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE incidents SET erased_at = {now}, pupil_hash = NULL, pupil_key_version = NULL, registered_by_user_id = '' WHERE id = {subject}", ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND reference = (SELECT number FROM incidents WHERE id = {subject})", ct);
        await audit.RecordAsync(subject, "erase:retention", "system:retention", "System", ct);
        await tx.CommitAsync(ct);
        await keys.DestroyAsync(subject, ct);
        return true;
    }

    /// <summary>Erased subjects whose key outlived a failed run: their keys are destroyed now.</summary>
    private async Task<int> DestroyLeftoverKeysAsync(CancellationToken ct)
    {
        var erased = await db.Cases.AsNoTracking().Where(c => c.ErasedAt != null).Select(c => c.Id)
            .Concat(db.Reports.AsNoTracking().Where(r => r.ErasedAt != null).Select(r => r.Id))
            .Concat(db.Incidents.AsNoTracking().Where(i => i.ErasedAt != null).Select(i => i.Id)).ToListAsync(ct);
        var live = await keys.LiveAmongAsync(erased, ct);
        foreach (var subject in live) await keys.DestroyAsync(subject, ct);
        return live.Count;
    }
}

public sealed class RetentionJob(RetentionRun run)
{
    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 600)]
    [Hangfire.AutomaticRetry(Attempts = 3)]
    public Task Run(CancellationToken cancellationToken) => run.RunAsync(cancellationToken);
}
