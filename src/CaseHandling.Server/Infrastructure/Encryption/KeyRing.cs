using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// The key-encryption keys in force. Reads configuration through an options monitor and the key file by its
/// last write time, so that a rotation takes effect without a restart. Error messages name key ids, never keys.
/// </summary>
public sealed class KeyRing(IOptionsMonitor<EncryptionOptions> options)
{
    public sealed record Snapshot(string ActiveId, IReadOnlyDictionary<string, byte[]> Keys)
    {
        public byte[] Active => Keys[ActiveId];

        public byte[] Get(string id) => Keys.TryGetValue(id, out var k)
            ? k
            : throw new InvalidOperationException($"The key-encryption key '{id}' is not configured; keep it until rotation has re-wrapped every data key.");
    }

    private readonly Lock _gate = new();
    private (string Path, DateTime Stamp, long Length, Snapshot Ring)? _file;

    public Snapshot Current()
    {
        var o = options.CurrentValue;
        if (!string.IsNullOrWhiteSpace(o.KeyFile)) return FromFile(o.KeyFile);
        return Parse(o.ActiveKeyId, o.Keys, "configuration (Encryption:ActiveKeyId, Encryption:Keys)");
    }

    private Snapshot FromFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InvalidOperationException($"The key file named in Encryption:KeyFile does not exist.");
        lock (_gate)
        {
            if (_file is { } f && f.Path == path && f.Stamp == info.LastWriteTimeUtc && f.Length == info.Length) return f.Ring;
            var json = JsonSerializer.Deserialize<EncryptionOptions>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                       ?? throw new InvalidOperationException("The key file is empty.");
            var ring = Parse(json.ActiveKeyId, json.Keys, "the key file");
            _file = (path, info.LastWriteTimeUtc, info.Length, ring);
            return ring;
        }
    }

    private static Snapshot Parse(string? active, Dictionary<string, string> keys, string where)
    {
        if (string.IsNullOrWhiteSpace(active))
            throw new InvalidOperationException($"No active key-encryption key in {where}: content cannot be sealed. See docs/ENCRYPTION.md.");
        var parsed = new Dictionary<string, byte[]>();
        foreach (var (id, text) in keys)
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(text); }
            catch (FormatException) { throw new InvalidOperationException($"The key-encryption key '{id}' in {where} is not base64."); }
            if (bytes.Length != ContentCipher.KeySize)
                throw new InvalidOperationException($"The key-encryption key '{id}' in {where} is not {ContentCipher.KeySize} bytes.");
            parsed[id] = bytes;
        }
        if (!parsed.ContainsKey(active))
            throw new InvalidOperationException($"The active key-encryption key '{active}' is not among the keys in {where}.");
        return new Snapshot(active, parsed);
    }
}
