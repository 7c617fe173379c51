using System.Globalization;
using System.Text;

namespace CaseHandling.Domain.Reports;

/// <summary>
/// The kinds of identifier by which two reports can be found to name the same person (docs/MATCHING.md). A name
/// links only within one institution (two people of one name at two institutions are two people); an e-mail
/// address links across institutions; a staff number is an institution's own, so it links within that institution.
/// </summary>
public enum AccusedIdentifierKind { NameAtInstitution, Email, StaffNumberAtInstitution }

/// <summary>Who the accused is, as the reporter or the handler names them. Every part is optional.</summary>
public sealed record AccusedInput(string? Name, Guid? InstitutionId, string? Email, string? StaffNumber);

/// <summary>
/// The accused of one report, in plain words: sealed under the report's data key like the rest of the report's
/// content, and blanked by retention. Only the keyed hashes of the normalised identifiers
/// (<see cref="AccusedIdentifier"/>) are kept in the clear, and only those are compared.
/// </summary>
public sealed class ReportAccused
{
    private ReportAccused() { } // EF

    public Guid ReportId { get; private set; }
    public string? Name { get; private set; }
    /// <summary>The institution the accused works or studies at; the report's own unless said otherwise.</summary>
    public Guid? InstitutionId { get; private set; }
    public string? Email { get; private set; }
    public string? StaffNumber { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }

    public bool IsEmpty => Name is null && Email is null && StaffNumber is null;

    /// <param name="reportInstitutionId">The institution a name or staff number is taken to belong to when none is given.</param>
    public static ReportAccused For(Guid reportId, AccusedInput input, Guid reportInstitutionId, DateTimeOffset now)
    {
        var a = new ReportAccused { ReportId = reportId };
        a.Change(input, reportInstitutionId, now);
        return a;
    }

    public void Change(AccusedInput input, Guid reportInstitutionId, DateTimeOffset now)
    {
        Name = Clean(input.Name);
        Email = Clean(input.Email);
        StaffNumber = Clean(input.StaffNumber);
        InstitutionId = input.InstitutionId ?? (Name is null && StaffNumber is null ? null : reportInstitutionId);
        ChangedAt = now;
    }

    /// <summary>The normalised identifiers this names, each as the canonical text that is hashed; unusable parts are left out.</summary>
    public IReadOnlyList<(AccusedIdentifierKind Kind, string Canonical)> Identifiers()
    {
        var list = new List<(AccusedIdentifierKind, string)>();
        if (AccusedNormalizer.Name(Name) is { } n && InstitutionId is { } i1)
            list.Add((AccusedIdentifierKind.NameAtInstitution, AccusedNormalizer.Canonical(AccusedIdentifierKind.NameAtInstitution, n, i1)));
        if (AccusedNormalizer.Email(Email) is { } e)
            list.Add((AccusedIdentifierKind.Email, AccusedNormalizer.Canonical(AccusedIdentifierKind.Email, e, null)));
        if (AccusedNormalizer.StaffNumber(StaffNumber) is { } s && InstitutionId is { } i2)
            list.Add((AccusedIdentifierKind.StaffNumberAtInstitution, AccusedNormalizer.Canonical(AccusedIdentifierKind.StaffNumberAtInstitution, s, i2)));
        return list;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>
/// One identifier of a report's accused, as a keyed hash (HMAC-SHA256 under the matching key of <see cref="KeyVersion"/>).
/// Without the key, the hash of a guessed name cannot be computed, so a copy of the database cannot be searched for one.
/// </summary>
public sealed class AccusedIdentifier
{
    private AccusedIdentifier() { } // EF

    public AccusedIdentifier(Guid id, Guid reportId, AccusedIdentifierKind kind, string keyVersion, byte[] hash)
    {
        Id = id; ReportId = reportId; Kind = kind; KeyVersion = keyVersion; Hash = hash;
    }

    public Guid Id { get; private set; }
    public Guid ReportId { get; private set; }
    public AccusedIdentifierKind Kind { get; private set; }
    public string KeyVersion { get; private set; } = "";
    public byte[] Hash { get; private set; } = [];
}

/// <summary>
/// Normalisation of the accused's identifiers, so that the usual variations of one identifier hash alike
/// (docs/MATCHING.md lists the choices and what is deliberately not folded).
/// </summary>
public static class AccusedNormalizer
{
    public const int MaxLength = 200;

    /// <summary>
    /// A person's name: diacritics removed ("Müller" = "Muller"), lower case, punctuation (hyphens, apostrophes, dots,
    /// commas) read as spaces, and the words sorted, so that "de Vries, Jan" and "Jan de Vries" are one name.
    /// Null when nothing of a name is left.
    /// </summary>
    public static string? Name(string? input)
    {
        var folded = Fold(input);
        if (folded is null) return null;
        var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        return words.Length == 0 ? null : string.Join(' ', words);
    }

    /// <summary>
    /// An e-mail address: surrounding spaces, a "mailto:" prefix and angle brackets removed, lower case, and the
    /// plus-address tag dropped ("j.devries+hr@uni.nl" = "j.devries@uni.nl"). Dots in the local part are kept (only some
    /// providers ignore them). Null when it is not an address (no single "@" with text on both sides).
    /// </summary>
    public static string? Email(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var s = input.Trim();
        if (s.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) s = s["mailto:".Length..];
        s = s.Trim().Trim('<', '>').Trim();
        var q = s.IndexOf('?'); // mailto:x@y?subject=…
        if (q >= 0) s = s[..q];
        s = s.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        var at = s.IndexOf('@');
        if (at <= 0 || at != s.LastIndexOf('@') || at == s.Length - 1 || s.Any(char.IsWhiteSpace)) return null;
        var local = s[..at];
        var plus = local.IndexOf('+');
        if (plus == 0) return null;
        if (plus > 0) local = local[..plus];
        return local + "@" + s[(at + 1)..].TrimEnd('.');
    }

    /// <summary>A staff number: upper case, without spaces, hyphens, dots or slashes. Leading zeros are kept (they may matter).</summary>
    public static string? StaffNumber(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var sb = new StringBuilder();
        foreach (var c in input.Normalize(NormalizationForm.FormKC))
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToUpperInvariant(c));
        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>What is hashed: the kind, the institution where the kind is bound to one, and the normalised value.</summary>
    public static string Canonical(AccusedIdentifierKind kind, string normalized, Guid? institutionId) => kind switch
    {
        AccusedIdentifierKind.NameAtInstitution => $"name\n{institutionId!.Value:N}\n{normalized}",
        AccusedIdentifierKind.Email => $"email\n{normalized}",
        AccusedIdentifierKind.StaffNumberAtInstitution => $"staff\n{institutionId!.Value:N}\n{normalized}",
    };

    /// <summary>Diacritics off, lower case, anything but letters and digits a space, spaces collapsed.</summary>
    private static string? Fold(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var sb = new StringBuilder(input.Length);
        foreach (var c in input.Normalize(NormalizationForm.FormKD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            var lower = char.ToLowerInvariant(c);
            // Letters that do not decompose into a base letter and a mark.
            var folded = lower switch { 'ß' => "ss", 'æ' => "ae", 'œ' => "oe", 'ø' => "o", 'ł' => "l", 'đ' => "d", 'ı' => "i", 'ĳ' => "ij", _ => null };
            if (folded is not null) sb.Append(folded);
            else sb.Append(char.IsLetterOrDigit(lower) ? lower : ' ');
        }
        var words = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : string.Join(' ', words);
    }
}
