using System.Globalization;
using System.Text;

namespace CaseHandling.Domain.Reports;

/// <summary>What a proof of filing attests (docs/RECEIPTS.md).</summary>
public enum FilingProofKind
{
    /// <summary>The meldpunt received the report: its text, at this time.</summary>
    Report,
    /// <summary>The meldpunt received one of the reporter's messages.</summary>
    Message,
    /// <summary>
    /// The institution's board received the report from the meldpunt: the case is in its work list from this time. The
    /// board's duties run from when it knew (WHW art. 1.20 lid 1 and counterparts), which is what this fixes.
    /// </summary>
    Forwarded,
    /// <summary>The meldpunt received one of the reporter's files: the SHA-256 of the original, byte for byte (docs/EVIDENCE.md).</summary>
    File,
}

/// <summary>
/// A proof of filing as the reporter keeps it: a short text whose every byte up to the signature line is signed by the
/// meldpunt (Ed25519). It holds the report's number, the time, and the SHA-256 of what was filed, and nothing that
/// identifies the reporter. The text is the signed message itself, so that a changed byte anywhere fails and anyone
/// can check it with the published public key, without this system (docs/RECEIPTS.md).
/// </summary>
public sealed record FilingProof(FilingProofKind Kind, string ReportNumber, int? Message, DateTimeOffset ReceivedAt, string Sha256Hex, string KeyId,
    int? File = null)
{
    public const string Header = "CaseHandling meldpunt: bewijs van ontvangst / proof of filing";
    public const int Version = 1;
    private const string SignatureLabel = "signature: ";

    /// <summary>The bytes the meldpunt signs: every line up to and including the key's.</summary>
    public string SignedText()
    {
        var b = new StringBuilder();
        b.Append(Header).Append('\n');
        b.Append("version: ").Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        b.Append("kind: ").Append(Kind.ToString().ToLowerInvariant()).Append('\n');
        b.Append("report: ").Append(ReportNumber).Append('\n');
        if (Message is { } m) b.Append("message: ").Append(m.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (File is { } f) b.Append("file: ").Append(f.ToString(CultureInfo.InvariantCulture)).Append('\n');
        b.Append("received: ").Append(ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append('\n');
        b.Append("sha256: ").Append(Sha256Hex).Append('\n');
        b.Append("key: ").Append(KeyId).Append('\n');
        return b.ToString();
    }

    /// <summary>The whole proof: the signed text and the signature's line.</summary>
    public string WithSignature(byte[] signature) => SignedText() + SignatureLabel + Convert.ToBase64String(signature) + "\n";

    /// <summary>The SHA-256 of a text as filed (UTF-8), in lower-case hex: what the proof holds instead of the text.</summary>
    public static string HashOf(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// Reads a proof and its signature. Null for anything that is not exactly a proof as <see cref="WithSignature"/> writes
    /// it: the parsed fields are written out again and must give the same bytes, so no variant of a signed text passes.
    /// </summary>
    public static (FilingProof Proof, byte[] SignedBytes, byte[] Signature)? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 4096) return null;
        var at = text.LastIndexOf("\n" + SignatureLabel, StringComparison.Ordinal);
        if (at < 0) return null;
        var signed = text[..(at + 1)];
        var signatureText = text[(at + 1 + SignatureLabel.Length)..];
        if (!signatureText.EndsWith('\n')) return null;
        signatureText = signatureText[..^1];
        if (signatureText.Length != 88) return null;
        byte[] signature;
        try { signature = Convert.FromBase64String(signatureText); }
        catch (FormatException) { return null; }
        if (signature.Length != 64 || Convert.ToBase64String(signature) != signatureText) return null;

        var lines = signed[..^1].Split('\n');
        if (lines.Length < 7 || lines[0] != Header) return null;
        var fields = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || !fields.TryAdd(line[..colon], line[(colon + 2)..])) return null;
        }
        if (!fields.TryGetValue("version", out var version) || version != "1") return null;
        if (!fields.TryGetValue("kind", out var kindText) || !Enum.TryParse<FilingProofKind>(kindText, ignoreCase: true, out var kind)
            || !Enum.IsDefined(kind)) return null;
        int? message = null;
        if (fields.TryGetValue("message", out var messageText))
        {
            if (!int.TryParse(messageText, NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return null;
            message = m;
        }
        int? file = null;
        if (fields.TryGetValue("file", out var fileText))
        {
            if (!int.TryParse(fileText, NumberStyles.None, CultureInfo.InvariantCulture, out var f)) return null;
            file = f;
        }
        if (!fields.TryGetValue("received", out var receivedText)
            || !DateTimeOffset.TryParseExact(receivedText, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var received)) return null;
        if (!fields.TryGetValue("report", out var number) || !fields.TryGetValue("sha256", out var sha) || !fields.TryGetValue("key", out var keyId))
            return null;

        var proof = new FilingProof(kind, number, message, received, sha, keyId, file);
        // Written out again, it must be the very bytes that came in: no reordered, repeated or extra field, no other spelling.
        if (proof.SignedText() != signed) return null;
        return (proof, Encoding.UTF8.GetBytes(signed), signature);
    }
}
