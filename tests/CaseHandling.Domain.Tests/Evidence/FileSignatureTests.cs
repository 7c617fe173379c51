using System.Text;
using CaseHandling.Domain.Evidence;

namespace CaseHandling.Domain.Tests.Evidence;

/// <summary>A file's type is decided by its content: each accepted kind by its signature, everything else refused.</summary>
public sealed class FileSignatureTests
{
    private static readonly string[] Docx = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "docProps/core.xml"];

    private static EvidenceType? Detect(byte[] head, string[]? entries = null, bool text = false) =>
        FileSignature.Detect(head, () => entries ?? [], () => text);

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p switch { string s => Encoding.ASCII.GetBytes(s), byte[] b => b, int i => [(byte)i], _ => throw new ArgumentException() })];

    [Test]
    public void EachAcceptedKind_ByItsSignature()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Detect(Bytes(0xFF, 0xD8, 0xFF, 0xE1, "Exif")), Is.EqualTo(EvidenceType.Jpeg));
            Assert.That(Detect(Bytes(0x89, "PNG", 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, "IHDR")), Is.EqualTo(EvidenceType.Png));
            Assert.That(Detect(Bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 ")), Is.EqualTo(EvidenceType.WebP));
            Assert.That(Detect(Bytes(0, 0, 0, 24, "ftypheic", 0, 0, 0, 0)), Is.EqualTo(EvidenceType.Heif));
            Assert.That(Detect(Bytes(0, 0, 0, 24, "ftypmif1", 0, 0, 0, 0)), Is.EqualTo(EvidenceType.Heif));
            Assert.That(Detect(Bytes("%PDF-1.7\n%", 0xE2, 0xE3)), Is.EqualTo(EvidenceType.Pdf));
            Assert.That(Detect(Bytes("PK", 3, 4, 20, 0), Docx), Is.EqualTo(EvidenceType.Docx));
            Assert.That(Detect(Bytes("PK", 3, 4, 20, 0), ["[Content_Types].xml", "xl/workbook.xml"]), Is.EqualTo(EvidenceType.Xlsx));
            Assert.That(Detect(Bytes("PK", 3, 4, 20, 0), ["[Content_Types].xml", "ppt/presentation.xml"]), Is.EqualTo(EvidenceType.Pptx));
            Assert.That(Detect(Bytes("ID3", 4, 0, 0, 0, 0, 0, 0)), Is.EqualTo(EvidenceType.Mp3));
            Assert.That(Detect(Bytes(0xFF, 0xFB, 0x90, 0x64)), Is.EqualTo(EvidenceType.Mp3), "an MPEG frame without a tag");
            Assert.That(Detect(Bytes(0, 0, 0, 32, "ftypM4A ", 0, 0, 0, 0)), Is.EqualTo(EvidenceType.M4a));
            Assert.That(Detect(Bytes("OggS", 0, 2)), Is.EqualTo(EvidenceType.Ogg));
            Assert.That(Detect(Bytes("RIFF", 0, 0, 0, 0, "WAVEfmt ")), Is.EqualTo(EvidenceType.Wav));
            Assert.That(Detect(Encoding.UTF8.GetBytes("Hij stuurde mij berichten."), text: true), Is.EqualTo(EvidenceType.Text));
        });
    }

    [Test]
    public void AnythingElse_Refused_WhateverItsName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Detect([]), Is.Null, "empty");
            Assert.That(Detect(Bytes("MZ", 0x90, 0)), Is.Null, "a Windows program renamed .jpg");
            Assert.That(Detect(Bytes(0x7F, "ELF", 2, 1)), Is.Null, "a Linux program");
            Assert.That(Detect(Bytes("PK", 3, 4, 20, 0), ["foto.jpg", "brief.pdf"]), Is.Null, "a plain ZIP archive");
            Assert.That(Detect(Bytes("PK", 3, 4, 20, 0), [.. Docx, "word/vbaProject.bin"]), Is.Null, "a Word file with macros");
            Assert.That(Detect(Bytes("PK", 3, 4, 20, 0), ["[Content_Types].xml", "content.xml"]), Is.Null, "a package that is not Office Open XML");
            Assert.That(Detect(Bytes(0, 0, 0, 24, "ftypisom", 0, 0, 0, 0)), Is.Null, "an MP4 video");
            Assert.That(Detect(Bytes("RIFF", 0, 0, 0, 0, "AVI LIST")), Is.Null, "an AVI video");
            Assert.That(Detect(Bytes("Rar!", 0x1A, 7)), Is.Null, "a RAR archive");
            Assert.That(Detect(Bytes(0x1F, 0x8B, 8, 0)), Is.Null, "gzip");
        });
    }

    [Test]
    public void Text_IsUtf8WithoutControlCharacters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FileSignature.IsText(Encoding.UTF8.GetBytes("regel één\r\nregel twee\tmet tab")), Is.True);
            Assert.That(FileSignature.IsText([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("met BOM")]), Is.True);
            Assert.That(FileSignature.IsText(Encoding.UTF8.GetBytes("العربية и українська")), Is.True);
            Assert.That(FileSignature.IsText([0x41, 0x00, 0x42]), Is.False, "a NUL byte: binary");
            Assert.That(FileSignature.IsText([0xC3, 0x28]), Is.False, "not UTF-8");
            Assert.That(FileSignature.IsText(Encoding.Latin1.GetBytes("café")), Is.False, "Latin-1 is not UTF-8");
        });
    }
}
