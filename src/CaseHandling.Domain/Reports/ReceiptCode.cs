using System.Security.Cryptography;
using System.Text;

namespace CaseHandling.Domain.Reports;

/// <summary>
/// The reporter's receipt code: 25 characters of Crockford base32 from the OS CSPRNG, i.e. 125 bits,
/// shown once as five groups of five ("7KQ2M-...").
///
/// Why this form (see docs/RECEIPT-CODES.md): with 125 bits, guessing is infeasible online (rate-limited)
/// and offline, even for someone holding a copy of the database with a million codes (2^105 SHA-256
/// evaluations per expected hit). Because the entropy is in the code, not in a slow hash, the stored
/// value is a plain SHA-256 and intake stays fast; the hash is the lookup key (unique index), so the
/// reporter is found by the code and by nothing else.
/// </summary>
public static class ReceiptCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford: no I, L, O, U
    public const int Length = 25;
    public const int Bits = Length * 5;

    public static string New()
    {
        Span<byte> random = stackalloc byte[Length];
        RandomNumberGenerator.Fill(random);
        var chars = new char[Length + Length / 5 - 1];
        for (int i = 0, o = 0; i < Length; i++)
        {
            if (i > 0 && i % 5 == 0) chars[o++] = '-';
            chars[o++] = Alphabet[random[i] & 31];
        }
        return new string(chars);
    }

    /// <summary>Canonical form: upper case, separators removed, the look-alikes I/L→1 and O→0; null when it cannot be a code.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 64) return null;
        var sb = new StringBuilder(Length);
        foreach (var raw in input)
        {
            if (raw is '-' or ' ' or '\t') continue;
            var c = char.ToUpperInvariant(raw) switch { 'I' or 'L' => '1', 'O' => '0', var x => x };
            if (Alphabet.IndexOf(c) < 0) return null;
            sb.Append(c);
        }
        return sb.Length == Length ? sb.ToString() : null;
    }

    /// <summary>
    /// The stored lookup key. A malformed input hashes too (to a value no code has), so a wrong code and a
    /// non-existent one take the same path and the same time.
    /// </summary>
    public static byte[] Hash(string? input) =>
        SHA256.HashData(Encoding.ASCII.GetBytes(Normalize(input) ?? "!invalid"));
}
