using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Seals the fields of <see cref="SealedFields"/> on their way into the database and opens them on the way out,
/// so that the domain and the use cases only ever see plaintext and the tables only ever hold ciphertext.
/// Saving swaps the ciphertext in for the statement and the plaintext back afterwards (also when the save fails,
/// so that a retry seals again from plaintext).
/// </summary>
public sealed class ContentEncryptionInterceptor : SaveChangesInterceptor, IMaterializationInterceptor
{
    /// <summary>
    /// One instance for the process: EF keys its internal service provider on the interceptor instances, and each
    /// host's DataKeys is found through the context's application services instead.
    /// </summary>
    public static readonly ContentEncryptionInterceptor Instance = new();

    private ContentEncryptionInterceptor() { }

    private static DataKeys KeysOf(DbContext context) =>
        context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<DataKeys>()
        ?? throw new InvalidOperationException("The content encryption needs the host's DataKeys (HostSetup.AddCaseHandling).");

    private readonly ConditionalWeakTable<DbContext, List<(PropertyEntry Property, string Plain)>> _swapped = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData data, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (data.Context is { } context) await Seal(context, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData data, InterceptionResult<int> result)
    {
        // Sealing may have to make or fetch a key in the key store: that is asynchronous work, so sealed content is
        // saved with SaveChangesAsync only (the unit of work does). Rows without sealed fields save either way.
        if (data.Context is { } context && context.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified
                && SealedFields.ByType.ContainsKey(e.Metadata.ClrType)))
            throw new InvalidOperationException("Sealed content is saved with SaveChangesAsync.");
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData data, int result, CancellationToken ct = default)
    {
        Restore(data.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData data, int result)
    {
        Restore(data.Context);
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData data, CancellationToken ct = default)
    {
        Restore(data.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData data) => Restore(data.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData data, CancellationToken ct = default)
    {
        Restore(data.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData data) => Restore(data.Context);

    // A lost race (409) does not reach SaveChangesFailed: the plaintext comes back here.
    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData data, InterceptionResult result)
    {
        Restore(data.Context);
        return result;
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData data, InterceptionResult result,
        CancellationToken ct = default)
    {
        Restore(data.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>Opens sealed values as a row becomes an object, before EF takes its snapshot: tracked rows stay unchanged.</summary>
    public object InitializedInstance(MaterializationInterceptionData data, object entity)
    {
        if (!SealedFields.ByType.TryGetValue(entity.GetType(), out var spec)) return entity;
        var subject = spec.Subject(entity);
        (DataKeys.State State, byte[]? Key)? found = null;
        System.Security.Cryptography.AesGcm? aes = null;
        try
        {
            foreach (var field in spec.Fields)
            {
                var value = field.Get(entity);
                if (!ContentCipher.IsSealed(value)) continue; // written by the system (no personal data), or erased
                found ??= KeysOf(data.Context).ForMaterialization(subject, entity.GetType());
                // A sealed value whose key was destroyed reads as erased: that is what crypto-shredding means.
                // A key that is not there at all is a wrong key store, never silently blank.
                if (found.Value.State == DataKeys.State.Missing)
                    throw new InvalidOperationException($"No data key for subject {subject} in the key store: is ConnectionStrings:KeyStore the right database?");
                if (found.Value.Key is not { } key)
                {
                    field.Set(entity, field.Erased);
                    continue;
                }
                aes ??= ContentCipher.For(key);
                field.Set(entity, ContentCipher.Open(aes, value!, SealedFields.Context(subject, spec.Row(entity), spec, field)));
            }
        }
        finally
        {
            aes?.Dispose();
        }
        return entity;
    }

    private async ValueTask Seal(DbContext context, CancellationToken ct)
    {
        Restore(context); // whatever an earlier save of this context left sealed, whichever way it ended
        context.ChangeTracker.DetectChanges();
        var entries = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified && SealedFields.ByType.ContainsKey(e.Metadata.ClrType))
            .ToList();
        if (entries.Count == 0) return;

        var keys = KeysOf(context);
        var local = new Dictionary<Guid, byte[]>();
        // New cases and reports get their data key first, stored in the key store before their content is written.
        foreach (var entry in entries.Where(e => e.State == EntityState.Added && SealedFields.ByType[e.Metadata.ClrType].IsSubject))
        {
            var subject = SealedFields.ByType[entry.Metadata.ClrType].Subject(entry.Entity);
            local[subject] = await keys.CreateAsync(subject, ct);
        }

        var swapped = new List<(PropertyEntry, string)>();
        _swapped.AddOrUpdate(context, swapped); // filled as it goes, so that a failure half-way restores what was sealed
        var ciphers = new Dictionary<Guid, System.Security.Cryptography.AesGcm>();
        try
        {
            foreach (var entry in entries)
            {
                var spec = SealedFields.ByType[entry.Metadata.ClrType];
                var subject = spec.Subject(entry.Entity);
                foreach (var field in spec.Fields)
                {
                    var property = entry.Property(field.Property);
                    if (entry.State == EntityState.Modified && !property.IsModified) continue;
                    if (property.CurrentValue is not string plain) continue;
                    if (!local.TryGetValue(subject, out var key))
                    {
                        var (state, found) = await keys.FindAsync(subject, ct);
                        if (state == DataKeys.State.Destroyed)
                            throw new InvalidOperationException($"Subject {subject} was erased; its content cannot be written again.");
                        // A subject from before encryption at rest gets its key with this write.
                        found ??= await keys.CreateAsync(subject, ct);
                        key = local[subject] = found;
                    }
                    if (!ciphers.TryGetValue(subject, out var aes)) ciphers[subject] = aes = ContentCipher.For(key);
                    var sealedValue = ContentCipher.Seal(aes, plain, SealedFields.Context(subject, spec.Row(entry.Entity), spec, field));
                    swapped.Add((property, plain));
                    property.CurrentValue = sealedValue;
                }
            }
        }
        catch
        {
            Restore(context);
            throw;
        }
        finally
        {
            foreach (var aes in ciphers.Values) aes.Dispose();
        }
    }

    private void Restore(DbContext? context)
    {
        if (context is null || !_swapped.TryGetValue(context, out var swapped)) return;
        _swapped.Remove(context);
        foreach (var group in swapped.GroupBy(s => s.Property.EntityEntry.Entity, ReferenceEqualityComparer.Instance))
        {
            var entry = group.First().Property.EntityEntry;
            var saved = entry.State == EntityState.Unchanged;
            foreach (var (property, plain) in group)
            {
                property.CurrentValue = plain;
                // After a successful save the row holds this value: the snapshot says so, and the entry stays unchanged.
                if (saved) property.OriginalValue = plain;
            }
            if (saved) entry.State = EntityState.Unchanged;
        }
    }
}
