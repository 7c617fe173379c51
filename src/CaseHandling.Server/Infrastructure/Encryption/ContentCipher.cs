using System.Security.Cryptography;
using System.Text;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// AES-256-GCM from the base library. A sealed value is <c>ch1:</c> + base64(nonce ‖ ciphertext ‖ tag); its
/// associated data names the subject, the row and the field, so a ciphertext copied to another row or case
/// does not open.
/// </summary>
public static class ContentCipher
{
    public const string Prefix = "ch1:";
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A cipher for one key; the caller seals or opens all of one subject's fields with it (not thread-safe).</summary>
    public static AesGcm For(byte[] key) => new(key, TagSize);

    public static string Seal(byte[] key, string plaintext, string context)
    {
        using var aes = For(key);
        return Seal(aes, plaintext, context);
    }

    public static string Seal(AesGcm aes, string plaintext, string context) =>
        Prefix + Convert.ToBase64String(Encrypt(aes, Encoding.UTF8.GetBytes(plaintext), context));

    public static string Open(AesGcm aes, string sealedValue, string context) =>
        Encoding.UTF8.GetString(Decrypt(aes, Convert.FromBase64String(sealedValue[Prefix.Length..]), context));

    public static byte[] Encrypt(byte[] key, byte[] plain, string context)
    {
        using var aes = For(key);
        return Encrypt(aes, plain, context);
    }

    public static byte[] Encrypt(AesGcm aes, byte[] plain, string context)
    {
        var buffer = new byte[NonceSize + plain.Length + TagSize];
        var nonce = buffer.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plain, buffer.AsSpan(NonceSize, plain.Length), buffer.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(context));
        return buffer;
    }

    /// <exception cref="CryptographicException">Wrong key, wrong context, or altered bytes.</exception>
    public static byte[] Decrypt(byte[] key, byte[] sealedBytes, string context)
    {
        using var aes = For(key);
        return Decrypt(aes, sealedBytes, context);
    }

    public static byte[] Decrypt(AesGcm aes, byte[] sealedBytes, string context)
    {
        if (sealedBytes.Length < NonceSize + TagSize) throw new CryptographicException("The sealed value is too short.");
        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length),
            plain, Encoding.UTF8.GetBytes(context));
        return plain;
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);
}
