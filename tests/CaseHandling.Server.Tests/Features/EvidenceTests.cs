using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Evidence;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using ImageMagick;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using PdfSharp.Pdf;
using Rational = ImageMagick.Rational;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Evidence (docs/EVIDENCE.md): a reporter attaches files with the code; the original is kept byte for byte, a cleaned copy
/// without what could identify its maker is what the meldpunt opens by default, the original only with a reason; every
/// opening is recorded; nothing of the file is readable in the database or its dump; bad files get a clear answer and
/// store nothing.
/// </summary>
public sealed class EvidenceTests
{
    private static async Task<(World W, string Code, Guid Id)> Report(TestHost host)
    {
        var w = await World.Create(host);
        var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.SeksueleIntimidatie,
            "Zie de bijlagen.", "vorige week", w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult,
            Destination.MeldpuntOnly))).Read<ReportReceipt>(HttpStatusCode.Created);
        return (w, receipt.ReceiptCode, await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode));
    }

    private static Task<HttpResponseMessage> Upload(World w, string code, byte[] content, string fileName)
    {
        var form = new MultipartFormDataContent { { new StringContent(code), "receiptCode" } };
        var file = new ByteArrayContent(content);
        // What the browser claims is not believed: the content decides.
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", fileName);
        return w.Anonymous.PostAsync("/api/reports/files", form);
    }

    /// <summary>A phone photo as phones write them: where, with what and when it was taken, and who took it.</summary>
    private static byte[] PhonePhoto(string marker)
    {
        using var image = new MagickImage(MagickColors.SteelBlue, 80, 60);
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, "Fairphone");
        exif.SetValue(ExifTag.Model, "FP5");
        exif.SetValue(ExifTag.Artist, marker);
        exif.SetValue(ExifTag.DateTimeOriginal, "2026:11:30 14:05:00");
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(52, 1), new Rational(5, 1), new Rational(1234, 100)]);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, [new Rational(4, 1), new Rational(18, 1), new Rational(5678, 100)]);
        image.SetProfile(exif);
        image.Comment = marker;
        return image.ToByteArray(MagickFormat.Jpeg);
    }

    private static byte[] PdfByAuthor(string marker)
    {
        using var doc = new PdfDocument();
        doc.AddPage();
        doc.Info.Author = marker;
        doc.Info.Title = "Verslag";
        using var output = new MemoryStream();
        doc.Save(output);
        return output.ToArray();
    }

    private static byte[] WordByAuthor(string marker)
    {
        using var output = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(output, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new DocumentFormat.OpenXml.Wordprocessing.Document(new DocumentFormat.OpenXml.Wordprocessing.Body(
                new DocumentFormat.OpenXml.Wordprocessing.Paragraph(new DocumentFormat.OpenXml.Wordprocessing.Run(new DocumentFormat.OpenXml.Wordprocessing.Text("Brief"))))); 
            doc.PackageProperties.Creator = marker;
            doc.PackageProperties.LastModifiedBy = marker;
            var app = doc.AddExtendedFilePropertiesPart();
            app.Properties = new DocumentFormat.OpenXml.ExtendedProperties.Properties(new DocumentFormat.OpenXml.ExtendedProperties.Company("School " + marker));
        }
        return output.ToArray();
    }

    /// <summary>A PNG whose header claims <paramref name="width"/> × <paramref name="height"/> pixels, with almost no data: a decompression bomb's shape.</summary>
    private static byte[] PngClaiming(int width, int height)
    {
        static byte[] Chunk(string type, byte[] data)
        {
            var body = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            var crc = 0xFFFFFFFFu;
            foreach (var b in body)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
            crc ^= 0xFFFFFFFFu;
            return [.. BigEndian((uint)data.Length), .. body, .. BigEndian(crc)];
        }
        static byte[] BigEndian(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
        byte[] header = [.. BigEndian((uint)width), .. BigEndian((uint)height), 8, 2, 0, 0, 0];
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", header), .. Chunk("IDAT", [0x78, 0x9C, 0x03, 0, 0, 0, 0, 1]), .. Chunk("IEND", [])];
    }

    [Test]
    public async Task PhonePhoto_CleanedCopyWithoutLocationDeviceTimeAuthor_OriginalByteForByteOnlyWithAReason_EveryOpeningRecorded()
    {
        var host = await TestHost.Get();
        var (w, code, reportId) = await Report(host);
        var marker = $"MAKER{Guid.NewGuid():N}"[..20];
        var photo = PhonePhoto(marker);

        var status = await (await Upload(w, code, photo, $"IMG_{marker}.jpg")).Read<ReportStatusView>();
        var view = status.Files!.Single();
        Assert.Multiple(() =>
        {
            Assert.That((view.Number, view.Type, view.Size, view.CleaningFailed, view.CanWithdraw), Is.EqualTo((1, EvidenceType.Jpeg, (long)photo.Length, false, true)));
            Assert.That(view.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(photo))), "the SHA-256 of what was sent, to prove it later");
            Assert.That(view.Removed, Is.SupersetOf(new[] { RemovedMetadata.Location, RemovedMetadata.Device, RemovedMetadata.Time, RemovedMetadata.Author }));
        });

        // A proof of filing for the file (docs/RECEIPTS.md): its number and the SHA-256 of the original, signed; one changed byte fails.
        var proof = await (await w.Anonymous.Post("/api/reports/proof", new { receiptCode = code, kind = "File", file = 1 })).Read<CaseHandling.Server.Features.Shared.FilingProofView>();
        Assert.That(proof.Proof, Does.Contain("kind: file\n").And.Contain("file: 1\n").And.Contain($"sha256: {view.Sha256}\n").And.Not.Contain(marker));
        var verdict = await (await w.Anonymous.Post("/api/reports/proof/verify", new { proof = proof.Proof })).Read<ProofVerification>();
        Assert.That((verdict.Valid, verdict.Kind, verdict.File), Is.EqualTo((true, (FilingProofKind?)FilingProofKind.File, (int?)1)));
        var forged = proof.Proof.Replace($"sha256: {view.Sha256}", "sha256: " + new string('0', 64));
        Assert.That((await (await w.Anonymous.Post("/api/reports/proof/verify", new { proof = forged })).Read<ProofVerification>()).Valid, Is.False);
        await (await w.Anonymous.Post("/api/reports/proof", new { receiptCode = code, kind = "File", file = 9 })).Problem(HttpStatusCode.NotFound);

        // The handler opens the cleaned copy: read back by an independent library, nothing of where, with what, when or by whom.
        var detail = await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{reportId}");
        var fileId = detail.Files!.Single().Id;
        using var cleanedResponse = await w.Handler.GetAsync($"/api/meldpunt/reports/{reportId}/files/{fileId}");
        Assert.That(cleanedResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(cleanedResponse.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That(cleanedResponse.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
            Assert.That(cleanedResponse.Content.Headers.ContentDisposition?.FileNameStar ?? cleanedResponse.Content.Headers.ContentDisposition?.FileName,
                Does.Not.Contain(marker), "the reporter's name for the file is not kept");
            Assert.That(cleanedResponse.Headers.GetValues("X-Content-Type-Options"), Does.Contain("nosniff"));
            Assert.That(string.Join(",", cleanedResponse.Headers.GetValues("Content-Security-Policy")), Does.Contain("sandbox"));
        });
        var cleaned = await cleanedResponse.Content.ReadAsByteArrayAsync();
        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(cleaned));
        Assert.Multiple(() =>
        {
            Assert.That(directories.OfType<GpsDirectory>().Where(d => d.ContainsTag(GpsDirectory.TagLatitude)), Is.Empty, "no location");
            Assert.That(directories.OfType<ExifIfd0Directory>().Where(d => d.ContainsTag(ExifDirectoryBase.TagMake) || d.ContainsTag(ExifDirectoryBase.TagModel)),
                Is.Empty, "no phone make or model");
            Assert.That(directories.OfType<ExifSubIfdDirectory>().Where(d => d.ContainsTag(ExifDirectoryBase.TagDateTimeOriginal)), Is.Empty, "no time taken");
            Assert.That(Encoding.Latin1.GetString(cleaned), Does.Not.Contain(marker), "no author, no comment");
            Assert.That(ImageMetadataReader.ReadMetadata(new MemoryStream(photo)).OfType<GpsDirectory>(), Is.Not.Empty, "the original had them");
        });

        // The original only with a reason; then byte for byte what was sent.
        var noReason = await (await w.Handler.Post($"/api/meldpunt/reports/{reportId}/files/{fileId}/original", new { })).Problem(HttpStatusCode.BadRequest);
        Assert.That(noReason.GetProperty("errors").TryGetProperty("reason", out _), Is.True);
        var reason = $"REDEN{Guid.NewGuid():N}"[..20] + " de politie vraagt het origineel";
        using var originalResponse = await w.Handler.Post($"/api/meldpunt/reports/{reportId}/files/{fileId}/original", new { reason });
        Assert.That(await originalResponse.Content.ReadAsByteArrayAsync(), Is.EqualTo(photo));

        // Recorded: each opening in the audit trail, the reason sealed beside it; the reporter can no longer withdraw it.
        var actions = await Sql.Rows(host.ConnectionString, "SELECT action || ' ' || role FROM audit_entries WHERE subject_id = @id ORDER BY sequence", ("id", reportId));
        Assert.That(actions, Is.SupersetOf(new[] { "change:FileAttached:1 Reporter", "read:file:1:cleaned MeldpuntHandler", "read:file:1:original MeldpuntHandler" }));
        var reasons = await Sql.Rows(host.ConnectionString, "SELECT coalesce(reason, '-') FROM report_file_accesses WHERE report_id = @id ORDER BY at", ("id", reportId));
        Assert.That(reasons, Has.Count.EqualTo(2));
        Assert.That(reasons[1], Does.StartWith("ch1:").And.Not.Contain("REDEN"), "the reason sealed");
        var late = await (await w.Anonymous.Post("/api/reports/files/withdraw", new { receiptCode = code, number = 1 })).Problem(HttpStatusCode.Conflict);
        Assert.That(late.GetProperty("currentState").GetString(), Is.EqualTo("Read"));

        // Nothing of the file, its marker or the reason in a dump of the database, or in the logs.
        var dump = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.sql");
        try
        {
            await PgTools.DumpAsync(host.ConnectionString, dump);
            var dumped = await File.ReadAllTextAsync(dump);
            Assert.That(dumped, Does.Contain("report_file_chunks"));
            Assert.That(dumped, Does.Not.Contain(marker).And.Not.Contain(Convert.ToHexStringLower(Encoding.ASCII.GetBytes(marker))).And.Not.Contain("REDEN"));
        }
        finally { File.Delete(dump); }
        Assert.That(host.Logs.Lines.Where(l => l.Contains(marker) || l.Contains("REDEN")), Is.Empty);
    }

    [Test]
    public async Task PdfAndWord_AuthorAndOrganisationRemoved_OriginalsKept()
    {
        var host = await TestHost.Get();
        var (w, code, reportId) = await Report(host);
        var marker = $"AUTEUR{Guid.NewGuid():N}"[..20];

        var pdf = PdfByAuthor(marker);
        var status = await (await Upload(w, code, pdf, "verslag.pdf")).Read<ReportStatusView>();
        Assert.That(status.Files![0].Type, Is.EqualTo(EvidenceType.Pdf));
        Assert.That(status.Files[0].Removed, Does.Contain(RemovedMetadata.Author));
        var word = WordByAuthor(marker);
        status = await (await Upload(w, code, word, "brief.docx")).Read<ReportStatusView>();
        Assert.That(status.Files![1].Type, Is.EqualTo(EvidenceType.Docx));
        Assert.That(status.Files[1].Removed, Is.SupersetOf(new[] { RemovedMetadata.Author, RemovedMetadata.Organisation }));

        var files = (await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{reportId}")).Files!;
        var cleanedPdf = await (await w.Handler.GetAsync($"/api/meldpunt/reports/{reportId}/files/{files[0].Id}")).Content.ReadAsByteArrayAsync();
        Assert.That(Encoding.Latin1.GetString(cleanedPdf), Does.Not.Contain(marker).And.StartWith("%PDF-"));
        Assert.That(Encoding.Latin1.GetString(pdf), Does.Contain(marker), "the original named the author");

        var cleanedWord = await (await w.Handler.GetAsync($"/api/meldpunt/reports/{reportId}/files/{files[1].Id}")).Content.ReadAsByteArrayAsync();
        using var reopened = WordprocessingDocument.Open(new MemoryStream(cleanedWord), false);
        Assert.Multiple(() =>
        {
            Assert.That((reopened.PackageProperties.Creator, reopened.PackageProperties.LastModifiedBy), Is.EqualTo(((string?)null, (string?)null)));
            Assert.That(reopened.ExtendedFilePropertiesPart, Is.Null, "no organisation");
            Assert.That(reopened.MainDocumentPart!.Document.InnerText, Is.EqualTo("Brief"), "the content itself kept");
        });
        var original = await (await w.Handler.Post($"/api/meldpunt/reports/{reportId}/files/{files[1].Id}/original", new { reason = "bewijs" })).Content.ReadAsByteArrayAsync();
        Assert.That(original, Is.EqualTo(word));
    }

    [Test]
    public async Task BadFiles_ClearAnswerAtTheField_NothingStored_AndTheReporterWithdrawsAnUnreadFile()
    {
        var host = await TestHost.Get();
        var (w, code, reportId) = await Report(host);
        async Task<string> Refused(byte[] content, string name)
        {
            var problem = await (await Upload(w, code, content, name)).Problem(HttpStatusCode.BadRequest);
            return problem.GetProperty("errors").GetProperty("file")[0].GetString()!;
        }

        Assert.That(await Refused([(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0], "foto.jpg"), Does.Contain("Accepted").And.Contain("PDF"), "a program renamed .jpg");
        Assert.That(await Refused([], "leeg.txt"), Does.Contain("empty"));
        Assert.That(await Refused([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1], "kapot.jpg"), Does.Contain("damaged"),
            "a truncated image");
        Assert.That(await Refused([.. "%PDF-1.7\n1 0 obj\n<<"u8.ToArray()], "kapot.pdf"), Does.Contain("damaged"), "a truncated PDF");
        Assert.That(await Refused([.. "PK\u0003\u0004"u8.ToArray(), .. new byte[40]], "archief.zip"), Does.Contain("Accepted"), "an archive");
        Assert.That(await Refused(PngClaiming(15_000, 15_000), "bom.png"), Does.Contain("million pixels"), "an image that would decompress to 225 million pixels");
        Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM report_files WHERE report_id = @id", reportId), Is.Zero, "nothing stored");

        // No file part at all; the code of no report.
        var noFile = await (await w.Anonymous.PostAsync("/api/reports/files", new MultipartFormDataContent { { new StringContent(code), "receiptCode" } }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.That(noFile.GetProperty("errors").TryGetProperty("file", out _), Is.True);
        await (await Upload(w, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", PhonePhoto("x"), "x.jpg")).Problem(HttpStatusCode.NotFound);

        // Text is text; withdrawn before anyone read it, it is no longer there for the handler.
        var status = await (await Upload(w, code, Encoding.UTF8.GetBytes("Berichten die hij stuurde."), "notities.txt")).Read<ReportStatusView>();
        Assert.That(status.Files!.Single().Type, Is.EqualTo(EvidenceType.Text));
        status = await (await w.Anonymous.Post("/api/reports/files/withdraw", new { receiptCode = code, number = 1 })).Read<ReportStatusView>();
        Assert.That((status.Files!.Single().WithdrawnAt.HasValue, status.Files![0].CanWithdraw), Is.EqualTo((true, false)));
        var fileId = (await w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{reportId}")).Files!.Single().Id;
        Assert.That((await w.Handler.GetAsync($"/api/meldpunt/reports/{reportId}/files/{fileId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
