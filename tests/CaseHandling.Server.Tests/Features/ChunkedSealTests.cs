using System.Security.Cryptography;
using CaseHandling.Server.Infrastructure.Encryption;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// A file sealed in chunks opens only whole and in order: a chunk swapped, dropped, taken from another file or copy, a
/// "last" flag changed, or the file cut short, and it does not open (docs/EVIDENCE.md).
/// </summary>
public sealed class ChunkedSealTests
{
    private static readonly byte[] Key = ContentCipher.NewKey();
    private static readonly Guid Report = Guid.NewGuid();
    private static readonly Guid FileId = Guid.NewGuid();

    private static async Task<List<(int Index, bool Last, byte[] Sealed)>> Seal(byte[] plain, Guid? file = null, string copy = "original")
    {
        var chunks = new List<(int, bool, byte[])>();
        await foreach (var c in ChunkedSeal.SealAsync(Key, Report, file ?? FileId, copy, new MemoryStream(plain), CancellationToken.None)) chunks.Add(c);
        return chunks;
    }

    private static async Task<byte[]> Open(IEnumerable<(int Index, bool Last, byte[] Sealed)> chunks, string copy = "original")
    {
        var output = new MemoryStream();
        await ChunkedSeal.OpenAsync(Key, Report, FileId, copy, chunks.ToAsyncEnumerable(), output, CancellationToken.None);
        return output.ToArray();
    }

    [TestCase(1)]
    [TestCase(ChunkedSeal.ChunkSize - 1)]
    [TestCase(ChunkedSeal.ChunkSize)]
    [TestCase(ChunkedSeal.ChunkSize + 1)]
    [TestCase(3 * ChunkedSeal.ChunkSize + 17)]
    public async Task RoundTrip_EverySize_ByteForByte(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);
        var chunks = await Seal(plain);
        Assert.That(chunks.Count, Is.EqualTo(Math.Max(1, (size + ChunkedSeal.ChunkSize - 1) / ChunkedSeal.ChunkSize)));
        Assert.That(chunks.Select(c => c.Last), Is.EqualTo(chunks.Select((_, i) => i == chunks.Count - 1)), "only the last says it is");
        Assert.That(await Open(chunks), Is.EqualTo(plain));
    }

    [Test]
    public async Task Tampered_DoesNotOpen()
    {
        var plain = RandomNumberGenerator.GetBytes(3 * ChunkedSeal.ChunkSize + 5);
        var chunks = await Seal(plain);
        var other = await Seal(plain, Guid.NewGuid());
        var cleaned = await Seal(plain, copy: "cleaned");
        Assert.Multiple(() =>
        {
            Assert.CatchAsync<CryptographicException>(() => Open(chunks.Take(3)), "cut short: the last chunk missing");
            Assert.CatchAsync<CryptographicException>(() => Open([chunks[0], chunks[2], chunks[3]]), "a chunk in the middle dropped");
            Assert.CatchAsync<CryptographicException>(() => Open([chunks[1] with { Index = 0 }, chunks[0] with { Index = 1 }, chunks[2], chunks[3]]), "two chunks swapped");
            Assert.CatchAsync<CryptographicException>(() => Open([chunks[0], chunks[1], chunks[2] with { Last = true }]), "a \"last\" flag set to cut it short");
            Assert.CatchAsync<CryptographicException>(() => Open([other[0], chunks[1], chunks[2], chunks[3]]), "a chunk of another file");
            Assert.CatchAsync<CryptographicException>(() => Open([cleaned[0], chunks[1], chunks[2], chunks[3]]), "a chunk of the other copy");
            var flipped = chunks.Select(c => c with { Sealed = (byte[])c.Sealed.Clone() }).ToList();
            flipped[1].Sealed[40] ^= 1;
            Assert.CatchAsync<CryptographicException>(() => Open(flipped), "one bit changed");
        });
        Assert.That(await Open(chunks), Is.EqualTo(plain), "the untouched chunks still open");
    }
}
