using System.Security.Cryptography;
using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CaseHandling.Server.Infrastructure.Evidence;

/// <summary>Which copy of a file: the original byte for byte, or the cleaned one shown by default (docs/EVIDENCE.md).</summary>
public enum FileCopy : short { Original = 0, Cleaned = 1 }

/// <summary>A file longer than the limit: refused while it streams in, before more of it is stored.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than {limit / (1024 * 1024)} MB.");

/// <summary>
/// The copies of report files, in PostgreSQL beside the report (so backups, restores and retention treat them as the
/// report's text), sealed a chunk at a time under the report's data key (<see cref="ChunkedSeal"/>). Written inside the
/// unit of work's transaction: a file cut off halfway, refused, or whose request failed leaves no chunk behind.
/// </summary>
public sealed class EvidenceStore(CaseHandlingDbContext db, DataKeys keys)
{
    /// <summary>Seals <paramref name="content"/> into chunks as it is read; its length and SHA-256 as they were read.</summary>
    /// <exception cref="FileTooLargeException">More than <paramref name="maxBytes"/> arrived.</exception>
    public async Task<(long Length, byte[] Sha256)> WriteAsync(Guid report, Guid file, FileCopy copy, Stream content, long maxBytes, CancellationToken ct)
    {
        var tx = db.Database.CurrentTransaction
                 ?? throw new InvalidOperationException("A file is stored inside the unit of work's transaction (UnitOfWork.AtomicallyAsync).");
        var key = await KeyOf(report, ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var counted = new CountingStream(content, hash, maxBytes);
        await foreach (var (index, last, data) in ChunkedSeal.SealAsync(key, report, file, Name(copy), counted, ct))
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO report_file_chunks (file_id, copy, sequence, last, data) VALUES (@file, @copy, @sequence, @last, @data)",
                conn, (NpgsqlTransaction)tx.GetDbTransaction());
            insert.Parameters.AddWithValue("file", file);
            insert.Parameters.AddWithValue("copy", (short)copy);
            insert.Parameters.AddWithValue("sequence", index);
            insert.Parameters.AddWithValue("last", last);
            insert.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Bytea) { Value = data });
            await insert.ExecuteNonQueryAsync(ct);
        }
        return (counted.Count, hash.GetHashAndReset());
    }

    /// <summary>
    /// The whole file, read into memory up to <paramref name="maxBytes"/>: its type and its cleaning need all of it (an
    /// Office file's directory is at its end). One file at a time per request, at most 25 MB by default.
    /// </summary>
    /// <exception cref="FileTooLargeException">More than <paramref name="maxBytes"/> arrived.</exception>
    public static async Task<MemoryStream> BufferAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new FileTooLargeException(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>Opens one copy into <paramref name="output"/>, a chunk at a time.</summary>
    /// <exception cref="CryptographicException">A chunk altered, missing or out of place.</exception>
    public async Task ReadAsync(Guid report, Guid file, FileCopy copy, Stream output, CancellationToken ct)
    {
        var key = await KeyOf(report, ct);
        await ChunkedSeal.OpenAsync(key, report, file, Name(copy), Chunks(file, copy, ct), output, ct);
    }

    private async IAsyncEnumerable<(int Index, bool Last, byte[] Sealed)> Chunks(Guid file, FileCopy copy,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var select = new NpgsqlCommand("SELECT sequence, last, data FROM report_file_chunks WHERE file_id = @file AND copy = @copy ORDER BY sequence", conn,
                db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction);
            select.Parameters.AddWithValue("file", file);
            select.Parameters.AddWithValue("copy", (short)copy);
            await using var reader = await select.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
                yield return (reader.GetInt32(0), reader.GetBoolean(1), await reader.GetFieldValueAsync<byte[]>(2, ct));
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<byte[]> KeyOf(Guid report, CancellationToken ct)
    {
        var (state, key) = await keys.FindAsync(report, ct);
        // Destroyed with the report's retention: every copy, in every backup, stays unreadable.
        return state == DataKeys.State.Live ? key! : throw new CryptographicException("The report's data key is gone: its files cannot be opened.");
    }

    private static string Name(FileCopy copy) => copy == FileCopy.Original ? "original" : "cleaned";

    /// <summary>Counts and hashes what passes, and stops past the limit.</summary>
    private sealed class CountingStream(Stream inner, IncrementalHash hash, long max) : Stream
    {
        public long Count { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var read = await inner.ReadAsync(buffer, ct);
            Count += read;
            if (Count > max) throw new FileTooLargeException(max);
            hash.AppendData(buffer.Span[..read]);
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
