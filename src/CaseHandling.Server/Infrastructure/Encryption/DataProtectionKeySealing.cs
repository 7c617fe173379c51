using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Seals the ASP.NET Core Data Protection keys (which sign the staff's sign-in cookies, bearer tokens and anti-forgery
/// tokens) with the key-encryption key, as the data keys are (docs/ENCRYPTION.md). They are stored in the case database
/// (table <c>data_protection_keys</c>); without this, whoever reads that database or a backup of it could forge a staff
/// member's sign-in.
/// </summary>
public static class DataProtectionKeySealing
{
    /// <summary>The element that holds a sealed key: the KEK's id and base64(nonce ‖ ciphertext ‖ tag).</summary>
    public const string ElementName = "sealedByKek";

    private const string KekAttribute = "kek";
    private static readonly XNamespace DataProtectionNs = "http://schemas.asp.net/2015/03/dataProtection";

    /// <summary>Every key written from now on is sealed with the active key-encryption key.</summary>
    public static IServiceCollection AddDataProtectionKeySealing(this IServiceCollection services) =>
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new KekXmlEncryptor(sp.GetRequiredService<KeyRing>())));

    /// <summary>The associated data binds the sealed key to its purpose and KEK id, so it cannot pass for a data key.</summary>
    internal static string Context(string kekId) => $"data-protection-key/{kekId}";

    internal static XElement Seal(KeyRing.Snapshot ring, XElement plaintext)
    {
        var bytes = Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = ContentCipher.Encrypt(ring.Active, bytes, Context(ring.ActiveId));
        return new XElement(ElementName, new XAttribute(KekAttribute, ring.ActiveId), Convert.ToBase64String(sealedBytes));
    }

    internal static XElement Open(KeyRing.Snapshot ring, XElement sealedElement)
    {
        var kekId = (string?)sealedElement.Attribute(KekAttribute)
                    ?? throw new InvalidOperationException("A sealed Data Protection key names no key-encryption key.");
        var plain = ContentCipher.Decrypt(ring.Get(kekId), Convert.FromBase64String(sealedElement.Value), Context(kekId));
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }

    /// <summary>
    /// A stored key's XML with every secret sealed under the active KEK: a secret sealed under another KEK is opened and
    /// sealed again (rotation, step 2), and one stored in the clear (written before this sealing existed) is sealed.
    /// Returns null when nothing needed to change.
    /// </summary>
    public static string? Reseal(KeyRing.Snapshot ring, string xml)
    {
        var root = XElement.Parse(xml);
        var changed = false;
        // Sealed under an older KEK: <encryptedSecret decryptorType="..."><sealedByKek kek="old">...</sealedByKek></encryptedSecret>.
        foreach (var sealedElement in root.Descendants(ElementName).ToList())
        {
            if ((string?)sealedElement.Attribute(KekAttribute) == ring.ActiveId) continue;
            sealedElement.ReplaceWith(Seal(ring, Open(ring, sealedElement)));
            changed = true;
        }
        // In the clear: Data Protection marks each secret with requiresEncryption="true" (its <masterKey>).
        var requiresEncryption = DataProtectionNs + "requiresEncryption";
        foreach (var secret in root.Descendants().Where(e => (bool?)e.Attribute(requiresEncryption) == true).ToList())
        {
            secret.ReplaceWith(new XElement(DataProtectionNs + "encryptedSecret",
                new XAttribute("decryptorType", typeof(KekXmlDecryptor).AssemblyQualifiedName!), Seal(ring, secret)));
            changed = true;
        }
        return changed ? root.ToString(SaveOptions.DisableFormatting) : null;
    }
}

/// <summary>Seals a Data Protection key's secret with the active key-encryption key.</summary>
public sealed class KekXmlEncryptor(KeyRing ring) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(DataProtectionKeySealing.Seal(ring.Current(), plaintextElement), typeof(KekXmlDecryptor));
}

/// <summary>
/// Opens a sealed Data Protection key with the KEK it names. Data Protection makes it by type name through the app's
/// services, hence the constructor that takes them.
/// </summary>
public sealed class KekXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        DataProtectionKeySealing.Open(services.GetRequiredService<KeyRing>().Current(), encryptedElement);
}
