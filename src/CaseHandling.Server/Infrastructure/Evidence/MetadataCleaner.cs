using CaseHandling.Domain.Evidence;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using ImageMagick;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace CaseHandling.Server.Infrastructure.Evidence;

/// <summary>The cleaned copy of a file and what it no longer holds; <see cref="Failed"/>: it could not be cleaned and is the original.</summary>
public sealed record CleanedFile(byte[] Content, EvidenceType Type, RemovedMetadata Removed, bool Failed);

/// <summary>A file refused as it is: damaged, not what its signature says, or an image of too many pixels.</summary>
public sealed class FileRefusedException(string reason) : Exception(reason);

/// <summary>
/// Removes what could identify the maker from a copy of a file (docs/EVIDENCE.md); the original is kept apart, untouched.
/// Images (Magick.NET): turned upright, then every profile (EXIF with GPS and thumbnail, XMP, IPTC, ICC), comment and
/// text attribute dropped, and re-encoded; HEIF is written as JPEG (it can be read, not written). PDF (PDFsharp): the
/// information dictionary and the XMP stream. Office (Open XML SDK): core, extended and custom properties, the people
/// part, comment and revision authors. Text has no metadata. Audio tags are not removed yet: the file says so.
/// </summary>
public static class MetadataCleaner
{
    static MetadataCleaner()
    {
        // Process-wide: a decompression bomb fails instead of filling memory or spilling to disk.
        ResourceLimits.Width = 20_000;
        ResourceLimits.Height = 20_000;
        ResourceLimits.Area = 128_000_000;
        ResourceLimits.Disk = 0;
        ResourceLimits.ListLength = 16;
        ResourceLimits.Time = 60;
    }

    public static CleanedFile Clean(EvidenceType type, byte[] original, EvidenceLimits limits) => type switch
    {
        EvidenceType.Jpeg or EvidenceType.Png or EvidenceType.WebP or EvidenceType.Heif => Image(type, original, limits),
        EvidenceType.Pdf => Pdf(original),
        EvidenceType.Docx or EvidenceType.Xlsx or EvidenceType.Pptx => Office(type, original),
        EvidenceType.Text => new CleanedFile(original, type, RemovedMetadata.None, Failed: false),
        _ => new CleanedFile(original, type, RemovedMetadata.None, Failed: true),
    };

    private static MagickFormat FormatOf(EvidenceType type) => type switch
    {
        EvidenceType.Jpeg => MagickFormat.Jpeg,
        EvidenceType.Png => MagickFormat.Png,
        EvidenceType.WebP => MagickFormat.WebP,
        _ => MagickFormat.Heic,
    };

    private static CleanedFile Image(EvidenceType type, byte[] original, EvidenceLimits limits)
    {
        // The format the signature found, never ImageMagick's own guess (which would read SVG, PostScript or MSL).
        var settings = new MagickReadSettings { Format = FormatOf(type), FrameCount = 1 };
        try
        {
            // The header first: an image of more pixels than allowed is refused before it is decoded.
            var info = new MagickImageInfo(original, settings);
            if ((long)info.Width * info.Height > limits.MaxPixels)
                throw new FileRefusedException($"The image has more than {limits.MaxPixels / 1_000_000} million pixels.");
            using var image = new MagickImage(original, settings);
            var removed = Found(image);
            image.AutoOrient();
            image.Strip();
            foreach (var attribute in image.AttributeNames.ToList()) image.RemoveAttribute(attribute);
            var output = type == EvidenceType.Heif ? EvidenceType.Jpeg : type;
            if (output == EvidenceType.Jpeg) image.Quality = 92;
            return new CleanedFile(image.ToByteArray(FormatOf(output)), output, removed, Failed: false);
        }
        catch (MagickException)
        {
            throw new FileRefusedException("The image is damaged or is not the kind of image it says it is.");
        }
    }

    /// <summary>What an image held that identifies its maker, in the reporter's words.</summary>
    private static RemovedMetadata Found(MagickImage image)
    {
        var found = RemovedMetadata.None;
        if (image.GetExifProfile() is { } exif)
        {
            if (exif.GetValue(ExifTag.GPSLatitude) is not null || exif.GetValue(ExifTag.GPSLongitude) is not null) found |= RemovedMetadata.Location;
            if (exif.GetValue(ExifTag.Make) is not null || exif.GetValue(ExifTag.Model) is not null || exif.GetValue(ExifTag.SerialNumber) is not null)
                found |= RemovedMetadata.Device;
            if (exif.GetValue(ExifTag.DateTimeOriginal) is not null || exif.GetValue(ExifTag.DateTime) is not null) found |= RemovedMetadata.Time;
            if (exif.GetValue(ExifTag.Artist) is not null || exif.GetValue(ExifTag.Copyright) is not null || exif.GetValue(ExifTag.XPAuthor) is not null)
                found |= RemovedMetadata.Author;
            if (exif.GetValue(ExifTag.Software) is not null) found |= RemovedMetadata.Software;
            if (exif.ThumbnailLength > 0) found |= RemovedMetadata.Thumbnail;
            if (exif.GetValue(ExifTag.UserComment) is not null || exif.GetValue(ExifTag.ImageDescription) is not null) found |= RemovedMetadata.Comments;
            found |= RemovedMetadata.OtherProperties;
        }
        if (image.GetXmpProfile() is not null || image.GetIptcProfile() is not null) found |= RemovedMetadata.OtherProperties;
        if (!string.IsNullOrEmpty(image.Comment)) found |= RemovedMetadata.Comments;
        return found;
    }

    private static CleanedFile Pdf(byte[] original)
    {
        try
        {
            using var input = new MemoryStream(original, writable: false);
            using var doc = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
            var removed = RemovedMetadata.None;
            foreach (var key in doc.Info.Elements.Keys)
                removed |= key switch
                {
                    "/Author" => RemovedMetadata.Author,
                    "/Creator" or "/Producer" => RemovedMetadata.Software,
                    "/CreationDate" or "/ModDate" => RemovedMetadata.Time,
                    _ => RemovedMetadata.OtherProperties,
                };
            if (doc.Internals.Catalog.Elements.ContainsKey("/Metadata")) removed |= RemovedMetadata.OtherProperties;
            doc.Info.Elements.Clear();
            // PDFsharp writes its own Creator when the key is missing and its name as Producer: kept to these two.
            doc.Info.Elements.SetString("/Creator", "");
            doc.Info.Elements.SetString("/Producer", "PDFsharp");
            doc.Internals.Catalog.Elements.Remove("/Metadata");
            foreach (var page in doc.Pages)
            {
                page.Elements.Remove("/Metadata");
                page.Elements.Remove("/PieceInfo");
            }
            using var output = new MemoryStream();
            doc.Save(output);
            return new CleanedFile(output.ToArray(), EvidenceType.Pdf, removed, Failed: false);
        }
        catch (PdfReaderException e) when (e.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            // Encrypted: it cannot be rewritten without its password. Kept, and the reporter is told it was not cleaned.
            return new CleanedFile(original, EvidenceType.Pdf, RemovedMetadata.None, Failed: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FileRefusedException("The PDF is damaged or is not a PDF.");
        }
    }

    private const string Word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private static CleanedFile Office(EvidenceType type, byte[] original)
    {
        try
        {
            var stream = new MemoryStream();
            stream.Write(original);
            stream.Position = 0;
            var settings = new OpenSettings { MaxCharactersInPart = 50_000_000 };
            var removed = RemovedMetadata.None;
            using (OpenXmlPackage package = type switch
                   {
                       EvidenceType.Docx => WordprocessingDocument.Open(stream, true, settings),
                       EvidenceType.Xlsx => SpreadsheetDocument.Open(stream, true, settings),
                       _ => PresentationDocument.Open(stream, true, settings),
                   })
            {
                var p = package.PackageProperties;
                if (p.Creator is not null || p.LastModifiedBy is not null) removed |= RemovedMetadata.Author;
                if (p.Created is not null || p.Modified is not null || p.LastPrinted is not null) removed |= RemovedMetadata.Time;
                if (p.Title is not null || p.Subject is not null || p.Keywords is not null || p.Description is not null) removed |= RemovedMetadata.OtherProperties;
                p.Creator = p.LastModifiedBy = p.Title = p.Subject = p.Keywords = p.Description = p.Category = null;
                p.Revision = p.Identifier = p.ContentStatus = p.Language = p.Version = null;
                p.Created = p.Modified = p.LastPrinted = null;
                foreach (var part in package.Parts.Select(p => p.OpenXmlPart).ToList())
                {
                    switch (part)
                    {
                        case ExtendedFilePropertiesPart:
                            // docProps/app.xml: the organisation, the application, the template, the editing time.
                            removed |= RemovedMetadata.Organisation | RemovedMetadata.Software;
                            package.DeletePart(part);
                            break;
                        case CustomFilePropertiesPart or ThumbnailPart:
                            removed |= RemovedMetadata.OtherProperties;
                            package.DeletePart(part);
                            break;
                    }
                }
                foreach (var part in package.GetAllParts().ToList())
                {
                    if (part is WordprocessingPeoplePart or WorkbookPersonPart or CommentAuthorsPart or PowerPointAuthorsPart)
                    {
                        removed |= RemovedMetadata.Author;
                        foreach (var parent in package.GetAllParts().Where(x => x.Parts.Any(r => r.OpenXmlPart == part)).ToList()) parent.DeletePart(part);
                        continue;
                    }
                    if (part.RootElement is not { } root) continue;
                    var changed = false;
                    foreach (var element in root.Descendants().Prepend(root))
                        foreach (var a in element.GetAttributes().ToList())
                            if (a.LocalName is "author" or "initials" && (a.NamespaceUri == Word || string.IsNullOrEmpty(a.NamespaceUri)) && !string.IsNullOrEmpty(a.Value))
                            {
                                element.SetAttribute(new OpenXmlAttribute(a.Prefix, a.LocalName, a.NamespaceUri, ""));
                                removed |= RemovedMetadata.Comments;
                                changed = true;
                            }
                    if (changed) root.Save();
                }
            }
            return new CleanedFile(stream.ToArray(), type, removed, Failed: false);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException)
        {
            throw new FileRefusedException("The Office file is damaged or is not the kind of file it says it is.");
        }
    }
}
