using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// A file sealed in chunks (docs/EVIDENCE.md), so that it is never held whole: each chunk on its own with AES-256-GCM
/// under the report's data key, its associated data naming the report, the file, the copy ("original" or "cleaned"),
/// the chunk's position and whether it is the last. A chunk swapped, moved, dropped or taken from another file does
/// not open, and a file cut short is noticed, as its last chunk says so. Destroying the report's key makes every chunk
/// unreadable, in backups too, as for the report's text.
/// </summary>
public static class ChunkedSeal
{
    public const int ChunkSize = 256 * 1024;

    public static string Context(Guid subject, Guid file, string copy, int index, bool last) =>
        $"{subject:N}/{file:N}/{copy}/{index}/{(last ? "last" : "more")}";

    /// <summary>The sealed chunks of <paramref name="plain"/>, in order, read one chunk ahead so that the last is known.</summary>
    public static async IAsyncEnumerable<(int Index, bool Last, byte[] Sealed)> SealAsync(byte[] key, Guid subject, Guid file, string copy, Stream plain,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var aes = ContentCipher.For(key);
        var current = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var length = await plain.ReadAtLeastAsync(current, ChunkSize, throwOnEndOfStream: false, ct);
        for (var index = 0; ; index++)
        {
            var following = length < ChunkSize ? 0 : await plain.ReadAtLeastAsync(next, ChunkSize, throwOnEndOfStream: false, ct);
            var last = following == 0;
            yield return (index, last, ContentCipher.Encrypt(aes, current.AsSpan(0, length).ToArray(), Context(subject, file, copy, index, last)));
            if (last) yield break;
            (current, next, length) = (next, current, following);
        }
    }

    /// <summary>Opens the chunks into <paramref name="output"/>, one at a time.</summary>
    /// <exception cref="CryptographicException">A chunk altered, out of place, from elsewhere, or the file cut short.</exception>
    public static async Task OpenAsync(byte[] key, Guid subject, Guid file, string copy, IAsyncEnumerable<(int Index, bool Last, byte[] Sealed)> chunks,
        Stream output, CancellationToken ct)
    {
        using var aes = ContentCipher.For(key);
        var expected = 0;
        var ended = false;
        await foreach (var (index, last, sealedBytes) in chunks.WithCancellation(ct))
        {
            if (ended || index != expected) throw new CryptographicException("A chunk is missing, out of place, or after the last.");
            // The stored "last" is part of the associated data: a flag changed in the database does not open either.
            var plain = ContentCipher.Decrypt(aes, sealedBytes, Context(subject, file, copy, index, last));
            await output.WriteAsync(plain, ct);
            expected++;
            ended = last;
        }
        if (!ended) throw new CryptographicException("The file was cut short: its last chunk is missing.");
    }
}
