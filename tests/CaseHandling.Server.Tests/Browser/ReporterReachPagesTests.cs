using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Infrastructure.Localization;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// Every reporter can reach us: the reporter's pages in all six languages (Arabic right to left) in real Chromium, the
/// whole flow without JavaScript in each, axe on each page, no text missing; and an oral report, from the handler's
/// form to the reporter's correction and approval on /opvolgen and back on the handler's report page.
/// </summary>
public sealed class ReporterReachPagesTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private World _w = null!;
    private string _institutionName = null!;
    private Uri Base => _host.KestrelAddress!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("browser", kestrel: true);
        _w = await World.Create(_host);
        var institutions = await _w.Admin.GetJson<List<InstitutionView>>("/api/admin/institutions");
        _institutionName = institutions.Single(i => i.Id == _w.InstitutionId).Name;
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<IPage> NewPage(bool javaScript) =>
        await (await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = Base.ToString() })).NewPageAsync();

    private static async Task<List<string>> AxeProblems(IPage page, string what) =>
        [.. (await Chromium.Axe(page)).Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")];

    [TestCase("nl")]
    [TestCase("en")]
    [TestCase("ar")]
    [TestCase("tr")]
    [TestCase("pl")]
    [TestCase("uk")]
    public async Task EveryReporterPage_InThisLanguage_WorksWithoutJavaScript_PassesAxe_NoTextMissing(string lang)
    {
        var rtl = Languages.IsRightToLeft(lang);
        var texts = _host.Services.GetRequiredService<Texts>();

        // Without JavaScript (Tor Browser's safest setting): file, then follow up with the code, all in this language.
        var page = await NewPage(javaScript: false);
        var text = $"Melding {lang} {Guid.NewGuid():N}";
        await page.GotoAsync($"/melden?lang={lang}");
        Assert.That(await page.Locator("html").GetAttributeAsync("lang"), Is.EqualTo(lang));
        Assert.That(await page.Locator("html").GetAttributeAsync("dir"), Is.EqualTo(rtl ? "rtl" : "ltr"));
        await page.Locator("#reporterKind-Student").CheckAsync();
        await page.Locator("#incidentType-SeksueleIntimidatie").CheckAsync();
        await page.Locator("#whatHappened").FillAsync(text);
        await page.Locator("#whenHappened").FillAsync("2026");
        await page.Locator("#institutionId").SelectOptionAsync(new SelectOptionValue { Label = _institutionName });
        await page.Locator("#accusedRole-FellowStudent").CheckAsync();
        await page.Locator("#victimWho-Reporter").CheckAsync();
        await page.Locator("#victimAge-Adult").CheckAsync();
        await page.Locator("#destination-MeldpuntOnly").CheckAsync();
        await page.Locator("form[action='/melden'] button[type=submit]").ClickAsync();
        var code = (await page.Locator("#receipt-code").TextContentAsync())!.Trim();
        Assert.That(code, Does.Match("^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$"));
        Assert.That(await page.Locator("html").GetAttributeAsync("lang"), Is.EqualTo(lang), "the receipt in the reporter's language");
        Assert.That(await page.Locator("#receipt-code").EvaluateAsync<string>("e => getComputedStyle(e).direction"), Is.EqualTo("ltr"), "the code reads left to right");

        var id = await Sql.ReportIdByReceiptCode(_host.ConnectionString, code);
        var detail = await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}");
        Assert.That((detail.WhatHappened, detail.Language), Is.EqualTo((text, lang)), "the handler sees which language the reporter used");
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Feedback", text = "Antwoord van het meldpunt." })).Read<ReportRef>();

        await page.GotoAsync($"/opvolgen?lang={lang}");
        await page.Locator("#receiptCode").FillAsync(code);
        await page.Locator("form[action='/opvolgen?handler=View'] button[type=submit]").ClickAsync();
        Assert.That(await page.Locator("#status").GetAttributeAsync("data-status"), Is.EqualTo("InProgress"));
        Assert.That(await page.Locator(".msg[data-author=Handler] .text").TextContentAsync(), Is.EqualTo("Antwoord van het meldpunt."));
        await page.Locator("#text").FillAsync("Nog een aanvulling.");
        await page.Locator("form[action='/opvolgen?handler=Reply'] button[type=submit]").ClickAsync();
        Assert.That(await page.Locator(".msg[data-author=Reporter] .text").TextContentAsync(), Is.EqualTo("Nog een aanvulling."));
        Assert.That(await page.Locator("html").GetAttributeAsync("lang"), Is.EqualTo(lang), "every form carries the language on");
        Assert.That(await page.Context.CookiesAsync(), Is.Empty, "the language lives in the address and the forms only");
        await page.Context.CloseAsync();

        // Axe on each reporter page in this language (in a context with JavaScript, which axe needs).
        var problems = new List<string>();
        var js = await NewPage(javaScript: true);
        foreach (var path in new[] { "/", "/melden", "/opvolgen", "/verificatie" })
        {
            await js.GotoAsync($"{path}?lang={lang}");
            problems.AddRange(await AxeProblems(js, path));
        }
        await js.GotoAsync($"/opvolgen?lang={lang}");
        await js.Locator("#receiptCode").FillAsync(code);
        await js.Locator("form[action='/opvolgen?handler=View'] button[type=submit]").ClickAsync();
        await js.Locator("#status").WaitForAsync();
        problems.AddRange(await AxeProblems(js, "/opvolgen (status)"));
        if (rtl)
        {
            // Mirrored: the site's name on the right, the language switch on the left; the code field typed left to right.
            var header = (await js.Locator("header").BoundingBoxAsync())!;
            var home = (await js.Locator("header > a").First.BoundingBoxAsync())!;
            var switcher = (await js.Locator("nav.lang-nav").BoundingBoxAsync())!;
            Assert.That(home.X, Is.GreaterThan(header.Width / 2), "the site's name starts on the right");
            Assert.That(switcher.X, Is.LessThan(header.Width / 2), "the language switch is on the left");
            await Chromium.Screenshot(js, "reporter-ar-status.png");
            await js.GotoAsync("/melden?lang=ar");
            await Chromium.Screenshot(js, "reporter-ar-form.png");
        }
        await js.Context.CloseAsync();
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        Assert.That(texts.Gaps.Where(g => g.StartsWith(lang + ":", StringComparison.Ordinal)), Is.Empty, "every text a reporter page asked for is in this language's file");
    }

    [Test]
    public async Task OralReport_HandlerRecords_ReporterCorrectsAndApproves_HandlerSeesEveryVersion()
    {
        var handler = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = Base.ToString() },
            _w.HandlerEmail, World.Password);
        await handler.GotoAsync("/portaal/meldingen/mondeling");
        await handler.Locator("#oral-channel-Meeting").CheckAsync();
        await handler.Locator("#oral-recordingExists").CheckAsync();
        await handler.Locator("#oral-report-language").SelectOptionAsync("pl");
        await handler.Locator("#oral-report-reporterKind-Student").CheckAsync();
        await handler.Locator("#oral-report-incidentType-SeksueleIntimidatie").CheckAsync();
        var account = $"Verslag {Guid.NewGuid():N}: de begeleider maakte opmerkingen.";
        await handler.Locator("#oral-report-whatHappened").FillAsync(account);
        await handler.Locator("#oral-report-whenHappened").FillAsync("in oktober");
        await handler.Locator("#oral-report-institutionId").SelectOptionAsync(new SelectOptionValue { Label = _institutionName });
        await handler.Locator("#oral-report-accusedRole-MetTakenBelastPersoon").CheckAsync();
        await handler.Locator("#oral-report-victimWho-Reporter").CheckAsync();
        await handler.Locator("#oral-report-victimAge-Adult").CheckAsync();
        await handler.Locator("#oral-report-destination-MeldpuntOnly").CheckAsync();
        await handler.GetByRole(AriaRole.Button, new() { Name = "Melding vastleggen" }).ClickAsync();

        // The code in groups, and spelled out to read over the phone.
        var groups = (await handler.Locator("#receipt-code").TextContentAsync())!.Trim();
        Assert.That(groups, Does.Match("^[0-9A-Z]{5}(  [0-9A-Z]{5}){4}$"));
        Assert.That(await handler.Locator("#receipt-spelled li").CountAsync(), Is.EqualTo(5));
        Assert.That(await handler.Locator("main").TextContentAsync(), Does.Match("M-[0-9]{6}"), "the report's number is named");
        await Chromium.Screenshot(handler, "meldpunt-oral-receipt.png");
        var code = groups.Replace("  ", "-");
        await handler.Locator("#oral-open").ClickAsync();
        Assert.That(await handler.Locator("#report-channel").GetAttributeAsync("data-channel"), Is.EqualTo("Meeting"));
        Assert.That(await handler.Locator("#report-language").GetAttributeAsync("data-lang"), Is.EqualTo("pl"));
        Assert.That(await handler.Locator("#account-state").GetAttributeAsync("data-approved"), Is.EqualTo("false"));
        var reportUrl = handler.Url;

        // The reporter, in Polish, without JavaScript: reads the account, corrects it, approves it.
        var reporter = await NewPage(javaScript: false);
        await reporter.GotoAsync("/opvolgen?lang=pl");
        await reporter.Locator("#receiptCode").FillAsync(code);
        await reporter.Locator("form[action='/opvolgen?handler=View'] button[type=submit]").ClickAsync();
        Assert.That(await reporter.Locator("#oral .account-version[data-version='1'] .text").TextContentAsync(), Is.EqualTo(account));
        var corrected = account + " Ook na de les.";
        await reporter.Locator("#account").FillAsync(corrected);
        await reporter.Locator("form[action='/opvolgen?handler=Account'] button[type=submit]").ClickAsync();
        Assert.That(await reporter.Locator("#oral .account-version").CountAsync(), Is.EqualTo(2));
        Assert.That(await reporter.Locator("#oral .account-version[data-version='2']").GetAttributeAsync("data-author"), Is.EqualTo("Reporter"));
        await reporter.Locator("form[action='/opvolgen?handler=Approve'] button[type=submit]").ClickAsync();
        Assert.That(await reporter.Locator("#oral").GetAttributeAsync("data-approved"), Is.EqualTo("true"));
        Assert.That(await reporter.Locator("#oral-approved").IsVisibleAsync(), Is.True);
        Assert.That(await reporter.Locator("form[action='/opvolgen?handler=Account']").CountAsync(), Is.Zero, "approved: no more corrections");
        await Chromium.Screenshot(reporter, "reporter-oral-approved-pl.png");
        await reporter.Context.CloseAsync();

        // The handler sees both versions and the approval.
        await handler.GotoAsync(reportUrl);
        Assert.That(await handler.Locator("#account-state").GetAttributeAsync("data-approved"), Is.EqualTo("true"));
        Assert.That(await handler.Locator("#account-versions li").CountAsync(), Is.EqualTo(2));
        Assert.That(await handler.Locator("#what-happened").TextContentAsync(), Is.EqualTo(corrected));
        await handler.Context.CloseAsync();

        // Axe on the handler's two pages (JavaScript on).
        var js = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { BaseURL = Base.ToString() }, _w.HandlerEmail, World.Password);
        var problems = new List<string>();
        await js.GotoAsync("/portaal/meldingen/mondeling");
        problems.AddRange(await AxeProblems(js, "oral form"));
        await js.GotoAsync(reportUrl);
        problems.AddRange(await AxeProblems(js, "report page"));
        await js.Context.CloseAsync();
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    /// <summary>
    /// Evidence in the browser without JavaScript (docs/EVIDENCE.md): the reporter attaches a phone photo on /opvolgen and
    /// reads what was removed, attaches a second file and withdraws it; the handler opens the cleaned copy, then the
    /// original with a reason, and the audit trail has both.
    /// </summary>
    [Test]
    public async Task Evidence_ReporterAttachesAndWithdraws_HandlerOpensCleanedThenOriginalWithAReason()
    {
        var reporter = await NewPage(javaScript: false);
        var code = await ReporterSteps.FileReport(reporter, _institutionName, $"Met bijlagen {Guid.NewGuid():N}");
        var id = await Sql.ReportIdByReceiptCode(_host.ConnectionString, code);
        var photo = Path.Combine(Path.GetTempPath(), $"IMG_{Guid.NewGuid():N}.jpg");
        var note = Path.Combine(Path.GetTempPath(), $"notitie-{Guid.NewGuid():N}.txt");
        try
        {
            using (var image = new ImageMagick.MagickImage(ImageMagick.MagickColors.Orange, 120, 90))
            {
                var exif = new ImageMagick.ExifProfile();
                exif.SetValue(ImageMagick.ExifTag.Make, "Fairphone");
                exif.SetValue(ImageMagick.ExifTag.GPSLatitudeRef, "N");
                exif.SetValue(ImageMagick.ExifTag.GPSLatitude, [new ImageMagick.Rational(52, 1), new ImageMagick.Rational(5, 1), new ImageMagick.Rational(1, 1)]);
                image.SetProfile(exif);
                await image.WriteAsync(photo, ImageMagick.MagickFormat.Jpeg);
            }
            await File.WriteAllTextAsync(note, "Wat hij zei, opgeschreven.");

            await ReporterSteps.OpenWithCode(reporter, code);
            await reporter.Locator("#file").SetInputFilesAsync(photo);
            await reporter.GetByRole(AriaRole.Button, new() { Name = "Bestand toevoegen" }).ClickAsync();
            var added = await reporter.Locator("#file-added").TextContentAsync();
            Assert.That(added, Does.Contain("de plaats").And.Contain("het merk en type van het apparaat"), "what was removed, in plain words");
            await Chromium.Screenshot(reporter, "reporter-file-added.png");
            await reporter.Locator("#files-back").ClickAsync();
            await reporter.Locator("#file").SetInputFilesAsync(note);
            await reporter.GetByRole(AriaRole.Button, new() { Name = "Bestand toevoegen" }).ClickAsync();
            await reporter.Locator("#files-back").ClickAsync();
            Assert.That(await reporter.Locator("#files li.file").CountAsync(), Is.EqualTo(2));
            await reporter.Locator("#files li.file[data-number='2'] button.secondary").ClickAsync();
            Assert.That(await reporter.Locator("#files li.file[data-number='2']").GetAttributeAsync("data-withdrawn"), Is.EqualTo("true"));
            await Chromium.Screenshot(reporter, "reporter-files.png");
            var proof = await reporter.RunAndWaitForDownloadAsync(() => reporter.Locator("#files li.file[data-number='1'] button.link").ClickAsync());
            Assert.That(proof.SuggestedFilename, Does.EndWith("-bestand-1.txt"), "a signed proof of filing for the file");
            Assert.That(await File.ReadAllTextAsync((await proof.PathAsync())!), Does.Contain("kind: file\n"));
            Assert.That(await reporter.Context.CookiesAsync(), Is.Empty);
            await reporter.Context.CloseAsync();
        }
        finally
        {
            File.Delete(photo);
            File.Delete(note);
        }

        var handler = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = Base.ToString(), AcceptDownloads = true },
            _w.HandlerEmail, World.Password);
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        Assert.That(await handler.Locator("#report-files li[data-withdrawn='true']").CountAsync(), Is.EqualTo(1), "the withdrawn file is listed as such, not offered");
        await Chromium.Screenshot(handler, "meldpunt-report-files.png");
        var cleaned = await handler.RunAndWaitForDownloadAsync(() => handler.Locator("#report-files li[data-number='1'] a.file-cleaned").ClickAsync());
        var cleanedBytes = await File.ReadAllBytesAsync((await cleaned.PathAsync())!);
        Assert.That(MetadataExtractor.ImageMetadataReader.ReadMetadata(new MemoryStream(cleanedBytes)).OfType<MetadataExtractor.Formats.Exif.GpsDirectory>()
            .Where(d => d.ContainsTag(MetadataExtractor.Formats.Exif.GpsDirectory.TagLatitude)), Is.Empty);

        // Without a reason the original is refused at the field; with one it downloads.
        await handler.Locator("#report-files li[data-number='1'] form button").ClickAsync();
        Assert.That(await handler.Locator("#report-files li[data-number='1'] .error").IsVisibleAsync(), Is.True);
        await handler.Locator("#report-files li[data-number='1'] input[name='f.reason']").FillAsync("De politie vraagt het origineel.");
        var original = await handler.RunAndWaitForDownloadAsync(() => handler.Locator("#report-files li[data-number='1'] form button").ClickAsync());
        Assert.That(original.SuggestedFilename, Does.EndWith("-original.jpg"));
        await handler.Context.CloseAsync();

        var actions = await Sql.Rows(_host.ConnectionString, "SELECT action FROM audit_entries WHERE subject_id = @id AND action LIKE 'read:file:%' ORDER BY sequence", ("id", id));
        Assert.That(actions, Is.EqualTo(new[] { "read:file:1:cleaned", "read:file:1:original" }));
    }
}
