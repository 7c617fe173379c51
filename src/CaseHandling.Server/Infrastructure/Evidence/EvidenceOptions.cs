using CaseHandling.Domain.Evidence;

namespace CaseHandling.Server.Infrastructure.Evidence;

/// <summary>Evidence:… (docs/EVIDENCE.md): how much a report takes. Each limit is refused at the field with its reason.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    public long MaxFileBytes { get; set; } = EvidenceLimits.Default.MaxFileBytes;
    public int MaxFiles { get; set; } = EvidenceLimits.Default.MaxFiles;
    public long MaxTotalBytes { get; set; } = EvidenceLimits.Default.MaxTotalBytes;
    public long MaxPixels { get; set; } = EvidenceLimits.Default.MaxPixels;

    public EvidenceLimits Limits => new(MaxFileBytes, MaxFiles, MaxTotalBytes, MaxPixels);
}

/// <summary>
/// At most one file cleaned per core at a time: decoding an image or rewriting a PDF holds it in memory and keeps a core
/// busy, so sixteen uploads at once wait their turn here rather than take the machine's memory together.
/// </summary>
public sealed class CleaningGate
{
    private readonly SemaphoreSlim _slots = new(Environment.ProcessorCount);

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            return await Task.Run(work, ct);
        }
        finally
        {
            _slots.Release();
        }
    }
}
