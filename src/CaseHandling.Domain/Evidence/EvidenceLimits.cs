namespace CaseHandling.Domain.Evidence;

/// <summary>
/// How much a report takes (docs/EVIDENCE.md), each a setting (Evidence:…): a file's size, the files per report and
/// their total, and an image's pixels, against decompression bombs.
/// </summary>
public sealed record EvidenceLimits(long MaxFileBytes, int MaxFiles, long MaxTotalBytes, long MaxPixels)
{
    public static readonly EvidenceLimits Default = new(25L * 1024 * 1024, 10, 100L * 1024 * 1024, 50_000_000);
}

/// <summary>
/// What a cleaned copy no longer holds, in words a reporter understands (the receipt lists them per file). Office and
/// PDF properties name a person or an organisation; a phone photo its place, device and time.
/// </summary>
[Flags]
public enum RemovedMetadata
{
    None = 0,
    Location = 1,
    Device = 2,
    Time = 4,
    Author = 8,
    Organisation = 16,
    Software = 32,
    Comments = 64,
    Thumbnail = 128,
    OtherProperties = 256,
}

public static class RemovedMetadataItems
{
    /// <summary>Each kind of information removed, one by one, as the pages and the API list them.</summary>
    public static IReadOnlyList<RemovedMetadata> Items(this RemovedMetadata removed) =>
        [.. Enum.GetValues<RemovedMetadata>().Where(m => m != RemovedMetadata.None && removed.HasFlag(m))];
}
