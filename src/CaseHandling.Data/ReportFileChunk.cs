namespace CaseHandling.Data;

/// <summary>
/// One sealed chunk of one copy of a report's file (docs/EVIDENCE.md): written and read a chunk at a time by the
/// evidence store, never as a whole file; sealed under the report's data key with its position in the associated data.
/// </summary>
public sealed class ReportFileChunk
{
    public Guid FileId { get; set; }
    /// <summary>0: the original, byte for byte; 1: the cleaned copy.</summary>
    public short Copy { get; set; }
    public int Sequence { get; set; }
    public bool Last { get; set; }
    public byte[] Data { get; set; } = [];
}
