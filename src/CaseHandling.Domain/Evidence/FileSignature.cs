using System.Text;
using System.Text.Unicode;

namespace CaseHandling.Domain.Evidence;

/// <summary>
/// The kinds of file a report takes as evidence (docs/EVIDENCE.md): images, PDF, Office documents, plain text and
/// common audio. Decided by the file's content, never by its name or the type a browser claims.
/// </summary>
public enum EvidenceType { Jpeg, Png, WebP, Heif, Pdf, Docx, Xlsx, Pptx, Text, Mp3, M4a, Ogg, Wav }

/// <summary>
/// A file's type by its signature: the first bytes, and for the Office formats (ZIP packages) the names of their parts.
/// Anything else is refused: another archive, a macro-enabled Office file, an executable, a renamed file.
/// </summary>
public static class FileSignature
{
    /// <summary>How many bytes of the start <see cref="Detect"/> reads.</summary>
    public const int HeadLength = 16;

    /// <summary>What is accepted, for the message that refuses anything else.</summary>
    public static readonly IReadOnlyList<string> Accepted =
        ["JPEG", "PNG", "WebP", "HEIC/HEIF", "PDF", "Word (.docx)", "Excel (.xlsx)", "PowerPoint (.pptx)", "text (.txt)", "MP3", "M4A/AAC", "OGG/Opus", "WAV"];

    /// <param name="head">The file's first bytes (at least <see cref="HeadLength"/> where the file has them).</param>
    /// <param name="zipEntries">The part names of a ZIP package, asked for only when the head is a ZIP's.</param>
    /// <param name="isText">Whether the whole file is UTF-8 text (<see cref="IsText"/>), asked for only when no signature matched.</param>
    /// <returns>The type, or null when the file is none of the accepted kinds.</returns>
    public static EvidenceType? Detect(ReadOnlySpan<byte> head, Func<IReadOnlyCollection<string>> zipEntries, Func<bool> isText)
    {
        if (head.Length == 0) return null;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return EvidenceType.Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return EvidenceType.Png;
        if (head.StartsWith("%PDF-"u8)) return EvidenceType.Pdf;
        if (head.StartsWith("OggS"u8)) return EvidenceType.Ogg;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
            return head[8..12].SequenceEqual("WEBP"u8) ? EvidenceType.WebP : head[8..12].SequenceEqual("WAVE"u8) ? EvidenceType.Wav : null;
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return IsoBrand(Encoding.ASCII.GetString(head[8..12]));
        if (head.StartsWith("ID3"u8) || IsMpegAudioFrame(head)) return EvidenceType.Mp3;
        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'P', (byte)'K', 0x03, 0x04])) return Office(zipEntries());
        return isText() ? EvidenceType.Text : null;
    }

    /// <summary>
    /// The ISO base media file's major brand: HEIF/HEIC images and M4A audio share the container. An MP4 video
    /// (isom, mp42, …) is not audio and is refused.
    /// </summary>
    private static EvidenceType? IsoBrand(string brand) => brand switch
    {
        "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1" => EvidenceType.Heif,
        "M4A " or "M4B " => EvidenceType.M4a,
        _ => null,
    };

    /// <summary>An MPEG audio frame header without an ID3 tag: 11 sync bits, then a layer that is not "reserved".</summary>
    private static bool IsMpegAudioFrame(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0 && (head[1] & 0x18) != 0x08;

    /// <summary>An Office Open XML package by its main part; a macro project, or any other ZIP, is refused.</summary>
    private static EvidenceType? Office(IReadOnlyCollection<string> entries)
    {
        bool Has(string name) => entries.Contains(name, StringComparer.OrdinalIgnoreCase);
        if (!Has("[Content_Types].xml") || entries.Any(e => e.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase))) return null;
        return Has("word/document.xml") ? EvidenceType.Docx
            : Has("xl/workbook.xml") ? EvidenceType.Xlsx
            : Has("ppt/presentation.xml") ? EvidenceType.Pptx
            : null;
    }

    /// <summary>
    /// Plain text: valid UTF-8 (a byte order mark allowed), with no control characters but tab, line feed, carriage
    /// return and form feed. A binary file renamed .txt is not.
    /// </summary>
    public static bool IsText(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) content = content[3..];
        if (!Utf8.IsValid(content)) return false;
        foreach (var b in content)
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C)) return false;
        return true;
    }

    /// <summary>The type a file is served with: the stored type only, never what the uploader claimed.</summary>
    public static string MediaType(EvidenceType type) => type switch
    {
        EvidenceType.Jpeg => "image/jpeg",
        EvidenceType.Png => "image/png",
        EvidenceType.WebP => "image/webp",
        EvidenceType.Heif => "image/heif",
        EvidenceType.Pdf => "application/pdf",
        EvidenceType.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        EvidenceType.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        EvidenceType.Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        EvidenceType.Text => "text/plain; charset=utf-8",
        EvidenceType.Mp3 => "audio/mpeg",
        EvidenceType.M4a => "audio/mp4",
        EvidenceType.Ogg => "audio/ogg",
        EvidenceType.Wav => "audio/wav",
        _ => "application/octet-stream",
    };

    /// <summary>The extension a served file is named with (the file's own name can identify the reporter: it is not used).</summary>
    public static string Extension(EvidenceType type) => type switch
    {
        EvidenceType.Jpeg => ".jpg",
        EvidenceType.Heif => ".heic",
        EvidenceType.Text => ".txt",
        _ => "." + type.ToString().ToLowerInvariant(),
    };
}
