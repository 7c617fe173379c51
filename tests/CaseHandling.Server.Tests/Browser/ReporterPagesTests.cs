using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The reporter's pages in real Chromium (Debian's, driven by Playwright) against the app on a real socket:
/// with JavaScript on and off (Tor Browser's safest setting), in Dutch and English, checked with axe-core.
/// </summary>
public sealed class ReporterPagesTests
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
        var institutions = await _w.Admin.GetJson<List<CaseHandling.Server.Features.Admin.InstitutionView>>("/api/admin/institutions");
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

    private async Task<(IBrowserContext Context, IPage Page, List<string> Requests)> NewPage(bool javaScript)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = Base.ToString() });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        return (context, page, requests);
    }

    private Task<string> FileReport(IPage page, string text) => ReporterSteps.FileReport(page, _institutionName, text);

    [Test]
    public async Task Forms_PostedFromAnotherSite_RefusedAndNothingFiled()
    {
        var (context, page, _) = await NewPage(javaScript: true);
        var marker = $"VALS{Guid.NewGuid():N}"[..16];
        // A page on another site that submits a report form to us, as a forged request would.
        await context.RouteAsync("http://elders.test/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $"""
                <!doctype html><html lang="nl"><body><form method="post" action="{Base}melden">
                <input name="ReporterKind" value="Student"><input name="IncidentType" value="Bullying">
                <input name="WhatHappened" value="{marker}"><input name="WhenHappened" value="gisteren">
                <input name="InstitutionId" value="{_w.InstitutionId}"><input name="AccusedRole" value="FellowStudent">
                <input name="VictimWho" value="Reporter"><input name="VictimAge" value="Adult"><input name="Destination" value="MeldpuntOnly">
                <button>verstuur</button></form></body></html>
                """,
        }));
        await page.GotoAsync("http://elders.test/");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "verstuur" }).ClickAsync(),
            r => r.Url.EndsWith("/melden") && r.Request.Method == "POST");
        Assert.That(response.Status, Is.EqualTo(403));
        Assert.That(await page.ContentAsync(), Does.Contain("andere website"));
        var inbox = await _w.Handler.GetJson<List<ReportInboxItem>>("/api/meldpunt/reports");
        foreach (var item in inbox)
            Assert.That((await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{item.Id}")).WhatHappened, Is.Not.EqualTo(marker));
        await context.CloseAsync();
    }

    private static Task OpenWithCode(IPage page, string code) => ReporterSteps.OpenWithCode(page, code);

    /// <summary>The report filed with <paramref name="code"/>, found by the code's hash; the handler reads it back with <paramref name="text"/>.</summary>
    private async Task<Guid> ReportIdFor(string code, string text)
    {
        var id = await Sql.ReportIdByReceiptCode(_host.ConnectionString, code);
        Assert.That((await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}")).WhatHappened, Is.EqualTo(text));
        return id;
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ReportAndFollowUp_InChromium_CodeReadsHandlerMessageAndReplyArrives(bool javaScript)
    {
        var (context, page, requests) = await NewPage(javaScript);
        var text = $"Browser-melding {Guid.NewGuid():N}";
        var code = await FileReport(page, text);

        // The handler answers through the API.
        var id = await ReportIdFor(code, text);
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Acknowledgement", text = "Wij hebben uw melding ontvangen. Kunt u meer vertellen?" }))
            .Read<ReportRef>();

        // The reporter comes back later, in a fresh browser session, with only the code.
        await context.CloseAsync();
        (context, page, requests) = await NewPage(javaScript);
        await OpenWithCode(page, code);
        Assert.That(await page.Locator("#status").GetAttributeAsync("data-status"), Is.EqualTo("InProgress"));
        Assert.That(await page.Locator(".msg[data-author=Handler]").TextContentAsync(), Does.Contain("Kunt u meer vertellen?"));

        await page.GetByLabel("Antwoord of extra informatie").FillAsync("Het was na de les.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        Assert.That(await page.Locator("#notice").TextContentAsync(), Does.Contain("verstuurd"));
        Assert.That(await page.Locator(".msg[data-author=Reporter]").TextContentAsync(), Does.Contain("Het was na de les."));

        var detail = await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}");
        Assert.That(detail.Messages.Last().Text, Is.EqualTo("Het was na de les."));

        Assert.That(await context.CookiesAsync(), Is.Empty, "the reporter's pages set no cookie");
        Assert.That(requests.Where(u => !u.StartsWith(Base.ToString(), StringComparison.Ordinal)), Is.Empty, "nothing is loaded from third parties");
        Assert.That(requests.Where(u => u.Contains(code, StringComparison.OrdinalIgnoreCase)), Is.Empty, "the code never appears in a URL");
        await context.CloseAsync();
    }

    [Test]
    public async Task Consent_InChromiumWithoutJavaScript_GivenAndWithdrawn()
    {
        var (context, page, _) = await NewPage(javaScript: false);
        var code = await FileReport(page, $"Toestemming {Guid.NewGuid():N}");
        await OpenWithCode(page, code);
        await page.GetByLabel("Mijn beschrijving van wat er gebeurd is").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Toestemming geven" }).ClickAsync();
        Assert.That(await page.Locator("#consent-title ~ p").First.TextContentAsync(), Does.Contain("toestemming gegeven"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Toestemming intrekken" }).ClickAsync();
        Assert.That(await page.Locator("#notice").TextContentAsync(), Does.Contain("ingetrokken"));
        await context.CloseAsync();
    }

    [Test]
    public async Task Form_SubmittedEmptyInEnglish_ErrorsPerFieldAndSummary()
    {
        var (context, page, _) = await NewPage(javaScript: false);
        await page.GotoAsync("/melden?lang=en");
        Assert.That(await page.Locator("html").GetAttributeAsync("lang"), Is.EqualTo("en"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        Assert.That(await page.Locator(".summary").TextContentAsync(), Does.Contain("Please check these fields"));
        foreach (var field in new[] { "reporterKind", "incidentType", "whatHappened", "whenHappened", "institutionId", "accusedRole", "victimWho", "victimAge", "destination" })
            Assert.That(await page.Locator($"#{field}-error").CountAsync(), Is.EqualTo(1), field);
        Assert.That(await page.Locator("#whatHappened").GetAttributeAsync("aria-invalid"), Is.EqualTo("true"));
        await context.CloseAsync();
    }

    [Test]
    public async Task UnknownCode_InChromium_SameMessageAsWrongCode()
    {
        var (context, page, _) = await NewPage(javaScript: true);
        await OpenWithCode(page, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
        var unknown = await page.Locator("#notice").TextContentAsync();
        await OpenWithCode(page, "nonsense");
        Assert.That(await page.Locator("#notice").TextContentAsync(), Is.EqualTo(unknown));
        await context.CloseAsync();
    }

    [Test]
    public async Task Accessibility_EveryReporterPage_NoSeriousOrCriticalAxeViolations()
    {
        var (context, page, _) = await NewPage(javaScript: true);
        var problems = new List<string>();
        async Task Check(string what)
        {
            var result = await Chromium.Axe(page);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        await page.GotoAsync("/"); await Check("home");
        await page.GotoAsync("/?lang=en"); await Check("home en");
        await page.GotoAsync("/melden"); await Check("form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).ClickAsync(); await Check("form with errors");
        var code = await FileReport(page, $"Axe {Guid.NewGuid():N}"); await Check("receipt");
        await page.GotoAsync("/opvolgen"); await Check("code entry");
        await OpenWithCode(page, code); await Check("status");
        // After the meldpunt's feedback the status page asks how it went.
        var reportId = await Sql.ReportIdByReceiptCode(_host.ConnectionString, code);
        await (await _w.Handler.Post($"/api/meldpunt/reports/{reportId}/messages", new { kind = "Feedback", text = "Afgerond." }))
            .Read<CaseHandling.Server.Features.Meldpunt.ReportRef>();
        await OpenWithCode(page, code); await Check("status with the rating");
        await page.GetByRole(AriaRole.Button, new() { Name = "Antwoorden versturen" }).ClickAsync(); await Check("rating with errors");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewijs om af te drukken" }).ClickAsync(); await Check("proof to print");
        await page.GotoAsync("/verificatie"); await Check("verification");
        await page.GetByRole(AriaRole.Button, new() { Name = "Controleren" }).ClickAsync(); await Check("verification with error");
        await page.GetByLabel("Of plak het bewijs").FillAsync("geen bewijs\nsignature: x\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Controleren" }).ClickAsync(); await Check("verification, not valid");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await context.CloseAsync();
    }

    [Test]
    public async Task Keyboard_ReportFormWithoutMouse_EveryControlReachableAndSubmits()
    {
        var (context, page, _) = await NewPage(javaScript: false);
        await page.GotoAsync("/melden");
        // Walk the whole page with Tab and collect what gets focus.
        var focused = new HashSet<string>();
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var id = await page.EvaluateAsync<string?>("() => document.activeElement && (document.activeElement.id || document.activeElement.name || document.activeElement.textContent)");
            if (id is not null) focused.Add(id.Trim());
        }
        // Radio groups take one stop each (arrow keys move within); every other control has its own stop.
        foreach (var id in new[] { "whatHappened", "whenHappened", "institutionId", "department", "contactName", "contactEmail", "contactPhone" })
            Assert.That(focused, Does.Contain(id), id);
        Assert.That(focused.Any(f => f.StartsWith("reporterKind-")), "the reporter-kind group is reachable");
        Assert.That(focused, Does.Contain("Melding versturen"), "the submit button is reachable");

        // Fill and send with the keyboard only.
        await page.Locator("#reporterKind-Student").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.Locator("#incidentType-Bullying").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.Locator("#whatHappened").FocusAsync();
        await page.Keyboard.TypeAsync("Met het toetsenbord gemeld");
        await page.Locator("#whenHappened").FocusAsync();
        await page.Keyboard.TypeAsync("gisteren");
        await page.Locator("#institutionId").SelectOptionAsync(new SelectOptionValue { Label = _institutionName });
        foreach (var radio in new[] { "#accusedRole-FellowStudent", "#victimWho-Reporter", "#victimAge-Adult", "#destination-MeldpuntOnly" })
        {
            await page.Locator(radio).FocusAsync();
            await page.Keyboard.PressAsync("Space");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // The form posts and the receipt page replaces it (same URL): wait for the code to appear.
        await page.Locator("#receipt-code").WaitForAsync(new() { Timeout = 15_000 });
        Assert.That(await page.Locator("#receipt-code").TextContentAsync(), Does.Match("[0-9A-Z]{5}(-[0-9A-Z]{5}){4}"));
        await context.CloseAsync();
    }

    [Test]
    public async Task Accessibility_CheckItself_FindsACriticalViolation()
    {
        // Shows that the check above can fail: an image without alt text and an unlabeled input are flagged.
        var (context, page, _) = await NewPage(javaScript: true);
        await page.SetContentAsync("<html lang=nl><head><title>t</title></head><body><main><img src='/x.png'><input type=text></main></body></html>");
        var result = await Chromium.Axe(page);
        Assert.That(result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id), Does.Contain("image-alt"));
        await context.CloseAsync();
    }

    [Test]
    public async Task Pages_Responses_NoCookieNoCacheNoThirdParty()
    {
        var client = new HttpClient { BaseAddress = Base };
        foreach (var path in new[] { "/", "/melden", "/opvolgen", "/verificatie" })
        {
            var r = await client.GetAsync(path);
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(r.Headers.Contains("Set-Cookie"), Is.False, path);
            Assert.That(r.Headers.CacheControl?.NoStore, Is.True, path);
            var html = await r.Content.ReadAsStringAsync();
            Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), $"{path} references no other site");
        }
    }

    [Test]
    public async Task ProofOfFiling_WithoutJavaScript_DownloadedPrintedAndChecked()
    {
        var (context, page, requests) = await NewPage(javaScript: false);
        await page.GotoAsync("/melden");
        await Chromium.Screenshot(page, "reporter-form.png");
        var code = await FileReport(page, $"Bewijs {Guid.NewGuid():N}");

        // Downloaded from the receipt page: the code goes in the form's body, never in a URL.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Bewijs downloaden" }).ClickAsync());
        Assert.That(download.SuggestedFilename, Does.Match(@"^bewijs-van-ontvangst-M-\d+\.txt$"));
        var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-{download.SuggestedFilename}");
        await download.SaveAsAsync(file);
        var proof = await File.ReadAllTextAsync(file);
        Assert.That(proof, Does.StartWith("CaseHandling meldpunt: bewijs van ontvangst"));

        // The page to print shows the same proof, and what it attests.
        await OpenWithCode(page, code);
        await Chromium.Screenshot(page, "reporter-status.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewijs om af te drukken" }).ClickAsync();
        var printed = (await page.Locator("#proof").TextContentAsync())!;
        Assert.That(printed.Split("\nsignature: ")[0], Is.EqualTo(proof.Split("\nsignature: ")[0]), "the same report, time and hash");
        await Chromium.Screenshot(page, "reporter-proof.png");

        // Checked on /verificatie by choosing the file: valid, with the report's number.
        await page.GotoAsync("/verificatie");
        await page.GetByLabel("Bestand met het bewijs").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Controleren" }).ClickAsync();
        Assert.That(await page.Locator("#verdict").GetAttributeAsync("data-valid"), Is.EqualTo("true"));
        var number = proof.Split('\n').Single(l => l.StartsWith("report: "))["report: ".Length..];
        Assert.That(await page.Locator("#verdict").TextContentAsync(), Does.Contain(number));
        await Chromium.Screenshot(page, "reporter-verification.png");

        // One changed character, pasted: not valid.
        await page.GotoAsync("/verificatie");
        await page.GetByLabel("Of plak het bewijs").FillAsync(proof.Replace("kind: report", "kind: rEport"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Controleren" }).ClickAsync();
        Assert.That(await page.Locator("#verdict").GetAttributeAsync("data-valid"), Is.EqualTo("false"));

        Assert.That(requests, Has.None.Contains(code), "the receipt code is in no URL");
        File.Delete(file);
        await context.CloseAsync();
    }

    [Test]
    public async Task Rating_AfterTheFeedback_AnsweredWithoutJavaScript_Once()
    {
        var (context, page, _) = await NewPage(javaScript: false);
        var code = await FileReport(page, $"Beoordeling {Guid.NewGuid():N}");
        await OpenWithCode(page, code);
        Assert.That(await page.Locator("#rating-title").CountAsync(), Is.Zero, "not asked before the meldpunt's feedback");

        var id = await Sql.ReportIdByReceiptCode(_host.ConnectionString, code);
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Feedback", text = "Wij hebben gedaan wat u vroeg." }))
            .Read<CaseHandling.Server.Features.Meldpunt.ReportRef>();
        await OpenWithCode(page, code);

        // Sent with one question left open: the error is at that question, and the answers given stay chosen.
        await page.Locator("#takenSeriously-5").CheckAsync();
        await page.Locator("#keptInformed-3").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Antwoorden versturen" }).ClickAsync();
        Assert.That(await page.Locator("#wouldReportAgain-error").IsVisibleAsync(), Is.True);
        Assert.That(await page.Locator("#takenSeriously-5").IsCheckedAsync(), Is.True);
        await Chromium.Screenshot(page, "reporter-rating.png");

        await page.Locator("#wouldReportAgain-4").CheckAsync();
        await page.GetByLabel("Wilt u nog iets kwijt? (niet verplicht)").FillAsync("Het duurde wel lang.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Antwoorden versturen" }).ClickAsync();
        Assert.That(await page.Locator("#notice").TextContentAsync(), Does.Contain("Dank u wel"));
        await OpenWithCode(page, code);
        Assert.That(await page.Locator("#rating-title").CountAsync(), Is.Zero, "asked once");
        Assert.That(await page.Locator("#rated").IsVisibleAsync(), Is.True);
        await context.CloseAsync();
    }
}
