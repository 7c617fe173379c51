using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Seals content that was written before encryption at rest (or by hand): finds the subjects with a plaintext
/// value in any sealed field, loads them, and saves every sealed field again, so that the interceptor seals it.
/// Part of the key re-wrap (POST /api/admin/keys/rewrap), which an upgrade runs once. Each subject is sealed in a
/// transaction of its own with its audit entry (<c>change:Sealed</c>, by <paramref name="who"/>).
/// </summary>
public sealed class PlaintextSealer(CaseHandlingDbContext db, DataKeys keys, Persistence.UnitOfWork work)
{
    public async Task<int> SealAsync(Security.CurrentUser who, CancellationToken ct)
    {
        var sealedSubjects = 0;
        foreach (var subject in await SubjectsWithPlaintext(ct))
        {
            if ((await keys.FindAsync(subject, ct)).State == DataKeys.State.Destroyed) continue; // erased: blanked, nothing to seal
            await keys.PreloadAsync([subject], ct); // a subject may hold sealed and plaintext values side by side
            db.ChangeTracker.Clear();
            var root = (object?)await db.Cases.Include(c => c.Events).AsSplitQuery().FirstOrDefaultAsync(c => c.Id == subject, ct)
                       ?? await db.Reports.Include(r => r.Messages).Include(r => r.AccountVersions).AsSplitQuery().FirstOrDefaultAsync(r => r.Id == subject, ct);
            if (root is null) continue;
            foreach (var entry in db.ChangeTracker.Entries().Where(e => SealedFields.ByType.ContainsKey(e.Metadata.ClrType)))
                foreach (var field in SealedFields.ByType[entry.Metadata.ClrType].Fields)
                    if (field.Get(entry.Entity) is not null) entry.Property(field.Property).IsModified = true;
            work.Audit(subject, "change:Sealed", who);
            var saved = await work.CommitAsync("The content", ct);
            if (saved.IsSuccess) sealedSubjects++; // lost to a concurrent change: the next rewrap seals it

        }
        db.ChangeTracker.Clear();
        return sealedSubjects;
    }

    /// <summary>Subjects with a non-empty value that is not sealed, in any field of <see cref="SealedFields"/>.</summary>
    private async Task<List<Guid>> SubjectsWithPlaintext(CancellationToken ct)
    {
        var found = new HashSet<Guid>();
        foreach (var spec in SealedFields.Table)
        {
            var columns = SealedFields.ColumnsOf(db.Model, spec);
            var conditions = columns.Fields.Select(c => $"({c} IS NOT NULL AND {c} NOT LIKE '{ContentCipher.Prefix}%' AND {c} NOT IN ('', '{{{{}}}}'))"); // braces doubled: the raw SQL is a format string
            // Table and column names come from the EF model, never from input.
            var sql = $"SELECT DISTINCT {columns.Subject} AS \"Value\" FROM {columns.Table} WHERE {string.Join(" OR ", conditions)}";
            found.UnionWith(await db.Database.SqlQueryRaw<Guid>(sql).ToListAsync(ct));
        }
        return found.Order().ToList();
    }
}
