using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseHandling.Domain.Reports;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Matching;

/// <summary>
/// The matching keys, held outside the database like the key-encryption keys (docs/MATCHING.md): in configuration
/// (Matching:Keys:{version} = base64 of 32 bytes, Matching:ActiveKeyId) or in a key file (Matching:KeyFile, the same two
/// fields as JSON), re-read when it changes. New identifiers are hashed under the active version; rotation re-hashes the
/// others from the sealed plaintext.
/// </summary>
public sealed class MatchingOptions
{
    public const string Section = "Matching";

    public string? ActiveKeyId { get; set; }
    public Dictionary<string, string> Keys { get; set; } = [];
    public string? KeyFile { get; set; }
}

/// <summary>
/// Keyed hashes of the accused's identifiers: HMAC-SHA256 under the active matching key. Without the key, a guessed
/// name cannot be turned into its stored hash, so a copy of the database cannot be searched for a person.
/// Error messages name key versions, never keys.
/// </summary>
public sealed class MatchingKeys(IOptionsMonitor<MatchingOptions> options)
{
    public const int KeySize = 32;

    private readonly Lock _gate = new();
    private (string Path, DateTime Stamp, long Length, (string Active, Dictionary<string, byte[]> Keys) Ring)? _file;

    public string ActiveVersion => Current().Active;

    /// <summary>The identifiers of one report's accused, hashed under the active key.</summary>
    public IReadOnlyList<AccusedIdentifier> HashAll(ReportAccused accused, DateTimeOffset now)
    {
        var (active, keys) = Current();
        return accused.Identifiers()
            .Select(i => new AccusedIdentifier(Guid.CreateVersion7(now), accused.ReportId, i.Kind, active, Hash(keys[active], i.Canonical)))
            .ToList();
    }

    /// <summary>
    /// A school's own pupil number, as a keyed hash under the active key (the incident register's recurrence): upper case,
    /// only letters and digits, within one institution (a number is the school's own). The number itself is never stored.
    /// </summary>
    public (string Version, byte[] Hash) PupilNumber(Guid institutionId, string number)
    {
        var (active, keys) = Current();
        var canonical = $"pupil\n{institutionId:N}\n{new string(number.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant()}";
        return (active, Hash(keys[active], canonical));
    }

    public static byte[] Hash(byte[] key, string canonical) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical));

    /// <summary>Fails, naming the setting, when no usable matching key is configured (checked at start-up).</summary>
    public (string Active, Dictionary<string, byte[]> Keys) Current()
    {
        var o = options.CurrentValue;
        if (!string.IsNullOrWhiteSpace(o.KeyFile)) return FromFile(o.KeyFile);
        return Parse(o.ActiveKeyId, o.Keys, "configuration (Matching:ActiveKeyId, Matching:Keys)");
    }

    private (string, Dictionary<string, byte[]>) FromFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InvalidOperationException("The key file named in Matching:KeyFile does not exist.");
        lock (_gate)
        {
            if (_file is { } f && f.Path == path && f.Stamp == info.LastWriteTimeUtc && f.Length == info.Length) return f.Ring;
            var json = JsonSerializer.Deserialize<MatchingOptions>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                       ?? throw new InvalidOperationException("The matching key file is empty.");
            var ring = Parse(json.ActiveKeyId, json.Keys, "the matching key file");
            _file = (path, info.LastWriteTimeUtc, info.Length, ring);
            return ring;
        }
    }

    private static (string, Dictionary<string, byte[]>) Parse(string? active, Dictionary<string, string> keys, string where)
    {
        if (string.IsNullOrWhiteSpace(active))
            throw new InvalidOperationException($"No active matching key in {where}: the accused's identifiers cannot be hashed. See docs/MATCHING.md.");
        var parsed = new Dictionary<string, byte[]>();
        foreach (var (id, text) in keys)
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(text); }
            catch (FormatException) { throw new InvalidOperationException($"The matching key '{id}' in {where} is not base64."); }
            if (bytes.Length != KeySize) throw new InvalidOperationException($"The matching key '{id}' in {where} is not {KeySize} bytes.");
            parsed[id] = bytes;
        }
        if (!parsed.ContainsKey(active)) throw new InvalidOperationException($"The active matching key '{active}' is not among the keys in {where}.");
        return (active, parsed);
    }
}
