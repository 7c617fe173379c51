using System.Collections;
using System.Collections.Concurrent;
using System.Data;
using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// Writes brand-new rows (a new report with its service-level duty, its first audit entry, the request's idempotency
/// row) as one <see cref="NpgsqlBatch"/>: one round trip, no change tracker, no SaveChanges pipeline. Why: the intake
/// is bound by the app's CPU, not by PostgreSQL (docs/PERFORMANCE.md), and EF's tracking, command building and the
/// separate COMMIT round trip were most of what an accepted report cost beyond the rows themselves.
/// <para>
/// The statements are not written by hand: each INSERT is derived once per entity type from the EF model (table,
/// snake_case columns, value converters such as enum-to-string, the parameter types EF would send), so a row written
/// here is the row EF would write. Store-generated values (a report's number from its sequence, xmin, an identity id)
/// are left to the database, as EF leaves them, and not read back: the callers' answers do not use them.
/// Sealed fields are sealed on the way, with the subject's data key made (or claimed from the reserve) first, exactly
/// as <see cref="ContentEncryptionInterceptor"/> does for EF; the objects themselves keep their plaintext.
/// </para>
/// <para>
/// Atomic without BEGIN/COMMIT: PostgreSQL runs the statements of one extended-protocol batch (one Sync) in an implicit
/// transaction, so either every row is there or none is. Inside a transaction the caller already has, the batch joins it;
/// otherwise it shares its transaction with the batches of requests that arrive at the same time (<see cref="GroupCommit"/>).
/// </para>
/// </summary>
public sealed class InsertBatch(CaseHandlingDbContext db, DataKeys keys, GroupCommit groupCommit)
{
    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping, object? Sentinel, bool StoreGenerated);

    private sealed record Statement(string Sql, IReadOnlyList<Column> Columns, IReadOnlyList<INavigation> Children);

    private static readonly ConcurrentDictionary<IEntityType, Statement> Statements = new();

    /// <summary>
    /// The rows in this order, each followed by the rows it holds (a report's duties and messages, a case's duties, events and
    /// explanations), so that every row comes after the row it refers to.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<object> rows, CancellationToken ct)
    {
        var all = new List<(object Row, Statement Statement)>();
        foreach (var row in rows) Collect(row, all);

        var sealedValues = await SealAsync(all.Select(a => a.Row).ToList(), ct);

        // EF's type mappings make parameters on a command; they are moved to the batch's commands.
        await using var factory = new NpgsqlCommand();
        var commands = new List<NpgsqlBatchCommand>(all.Count);
        foreach (var (row, statement) in all)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            sealedValues.TryGetValue(row, out var sealedOfRow);
            foreach (var column in statement.Columns)
            {
                var value = sealedOfRow is not null && sealedOfRow.TryGetValue(column.Property.Name, out var s) ? s : Get(column.Property, row);
                if (column.StoreGenerated) continue;
                command.Parameters.Add((NpgsqlParameter)column.Mapping.CreateParameter(factory, "", value, column.Property.IsNullable));
            }
            commands.Add(command);
        }

        // A caller that holds a connection or a transaction of its own (a request with an Idempotency-Key) has the rows
        // written on it; anyone else shares a transaction with the requests that arrive at the same time (GroupCommit).
        if (db.Database.CurrentTransaction is null && db.Database.GetDbConnection().State != ConnectionState.Open)
        {
            await groupCommit.WriteAsync(commands, ct);
            return;
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var batch = conn.CreateBatch();
            if (db.Database.CurrentTransaction is { } tx) batch.Transaction = (NpgsqlTransaction)tx.GetDbTransaction();
            foreach (var command in commands) batch.BatchCommands.Add(command);
            await batch.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private void Collect(object row, List<(object, Statement)> into)
    {
        var type = db.Model.FindEntityType(row.GetType()) ?? throw new InvalidOperationException($"{row.GetType().Name} is not in the model.");
        var statement = Statements.GetOrAdd(type, Build);
        into.Add((row, statement));
        foreach (var navigation in statement.Children)
        {
            switch (navigation.GetGetter().GetClrValueUsingContainingEntity(row))
            {
                case null: break;
                case IEnumerable many: foreach (var child in many) Collect(child, into); break;
                case var one: Collect(one, into); break;
            }
        }
    }

    private static Statement Build(IEntityType type)
    {
        if (type.GetTableName() is not { } table) throw new InvalidOperationException($"{type.DisplayName()} has no table.");
        var columns = new List<Column>();
        foreach (var p in type.GetProperties())
        {
            if (p.IsShadowProperty()) throw new InvalidOperationException($"{type.DisplayName()}.{p.Name} is a shadow property: the batch cannot read it.");
            // A row version (xmin) is never inserted; a value made on insert (a sequence default, an identity) is left to the
            // database when the object holds the sentinel, as EF does.
            if (p.ValueGenerated == ValueGenerated.OnAddOrUpdate) continue;
            var generated = p.ValueGenerated == ValueGenerated.OnAdd;
            columns.Add(new Column(p, p.GetRelationalTypeMapping(), p.Sentinel, generated));
        }
        // Which generated columns are left out is decided per row in EF; here every intake row holds the sentinel there
        // (no number or identity is ever set by the domain), checked below when writing.
        var written = columns.Where(c => !c.StoreGenerated).ToList();
        var schema = type.GetSchema() is { } s ? Quote(s) + "." : "";
        var sql = $"INSERT INTO {schema}{Quote(table)} ({string.Join(", ", written.Select(c => Quote(c.Property.GetColumnName())))}) " +
                  $"VALUES ({string.Join(", ", written.Select((_, i) => "$" + (i + 1)))})";
        var children = type.GetNavigations().Where(n => !n.IsOnDependent).ToList();
        return new Statement(sql, columns, children);
    }

    private static object? Get(IProperty property, object row)
    {
        var value = property.GetGetter().GetClrValueUsingContainingEntity(row);
        if (property.ValueGenerated == ValueGenerated.OnAdd && !Equals(value, property.Sentinel) && value is not null)
            throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} is made by the database; the batch does not write a value the object set.");
        return value;
    }

    /// <summary>The sealed values of each row's sealed fields, by property name, under the subject's data key (docs/ENCRYPTION.md).</summary>
    private async Task<Dictionary<object, Dictionary<string, object?>>> SealAsync(IReadOnlyList<object> rows, CancellationToken ct)
    {
        var result = new Dictionary<object, Dictionary<string, object?>>(ReferenceEqualityComparer.Instance);
        var local = new Dictionary<Guid, byte[]>();
        // New cases and reports get their data key first, stored in the key store before their content is written.
        foreach (var row in rows)
            if (SealedFields.ByType.TryGetValue(row.GetType(), out var spec) && spec.IsSubject)
                local[spec.Subject(row)] = await keys.CreateAsync(spec.Subject(row), ct);

        var ciphers = new Dictionary<Guid, System.Security.Cryptography.AesGcm>();
        try
        {
            foreach (var row in rows)
            {
                if (!SealedFields.ByType.TryGetValue(row.GetType(), out var spec)) continue;
                var subject = spec.Subject(row);
                var values = result[row] = [];
                foreach (var field in spec.Fields)
                {
                    if (field.Get(row) is not { } plain) continue;
                    if (!local.TryGetValue(subject, out var key))
                    {
                        var (state, found) = await keys.FindAsync(subject, ct);
                        if (state == DataKeys.State.Destroyed)
                            throw new InvalidOperationException($"Subject {subject} was erased; its content cannot be written again.");
                        found ??= await keys.CreateAsync(subject, ct);
                        key = local[subject] = found;
                    }
                    if (!ciphers.TryGetValue(subject, out var aes)) ciphers[subject] = aes = ContentCipher.For(key);
                    values[field.Property] = ContentCipher.Seal(aes, plain, SealedFields.Context(subject, spec.Row(row), spec, field));
                }
            }
        }
        finally
        {
            foreach (var aes in ciphers.Values) aes.Dispose();
        }
        return result;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
