using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The administrator sets the incident register's settings on the rules page (real Chromium, JavaScript off): the date the report
/// duty applies from, how reports reach the Inspectorate, the Inspectorate's intake address and the register's retention period.
/// Bad values come back at their fields; good ones are in force at once (the API reads them, a po board's menu gains the
/// register). On a host of its own, so that no other test's settings change.
/// </summary>
public sealed class IncidentSettingsPageTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("incident-settings-browser", kestrel: true);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    [Test]
    public async Task Administrator_SetsTheIncidentRegisterSettings_ErrorsAtTheFields_ThenInForce()
    {
        var api = await World.SignIn(_host, TestHost.AdminEmail, TestHost.AdminPassword);
        var w = await World.Create(_host, Sector.Po);
        Assert.That(await w.Board.GetStringAsync("/portaal/taken"), Does.Not.Contain("href=\"/portaal/incidenten\""), "off: no register in the menu");

        var page = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL" },
            TestHost.AdminEmail, TestHost.AdminPassword);
        await page.GotoAsync("/portaal/beheer/regels");
        var section = page.Locator("#incident-settings");
        Assert.That(await section.Locator("legend").First.InnerTextAsync(), Is.EqualTo("Incidentenregister"));
        Assert.That(await page.GetByLabel("Meldplicht geldt vanaf").InputValueAsync(), Is.Empty, "off by default");
        Assert.That(await page.GetByLabel("Bewaartermijn van het register").InputValueAsync(), Is.EqualTo("24mo"), "the default period");
        Assert.That(await page.GetByLabel("Vastgelegd als gedaan").IsCheckedAsync(), Is.True);

        // Bad values: each error at its field, and nothing changes.
        await page.GetByLabel("E-mailadres van de intake van de Inspectie").FillAsync("geen adres");
        await page.GetByLabel("Bewaartermijn van het register").FillAsync("4h");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wijzigingen opslaan" }).ClickAsync();
        Assert.That(await page.Locator("#settings-inspectieIntakeEmail-error").InnerTextAsync(), Does.Contain("geen e-mailadres"));
        Assert.That(await page.Locator("#settings-incidentRetentionPeriod-error").InnerTextAsync(), Does.Contain("minstens 90 dagen"));
        Assert.That(await page.GetByLabel("Bewaartermijn van het register").GetAttributeAsync("aria-invalid"), Is.EqualTo("true"));
        Assert.That(await page.GetByLabel("Bewaartermijn van het register").InputValueAsync(), Is.EqualTo("4h"), "what was typed stays");
        Assert.That((await api.GetJson<SettingsView>("/api/admin/settings")).IncidentRetentionPeriod, Is.EqualTo("24mo"));
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(RepoFiles.PathOf("docs", "portal"), "admin-incident-settings-errors.png") });

        // Good values: in force at once.
        await page.GetByLabel("Meldplicht geldt vanaf").FillAsync("2025-08-01");
        await page.GetByLabel("Per e-mail naar de inspectie").CheckAsync();
        await page.GetByLabel("E-mailadres van de intake van de Inspectie").FillAsync("intake@inspectie.example");
        await page.GetByLabel("Bewaartermijn van het register").FillAsync("36mo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wijzigingen opslaan" }).ClickAsync();
        Assert.That(await page.Locator("#saved").IsVisibleAsync(), Is.True);
        var settings = await api.GetJson<SettingsView>("/api/admin/settings");
        Assert.That((settings.IncidentRegisterEffectiveFrom, settings.IncidentReportDelivery, settings.InspectieIntakeEmail, settings.IncidentRetentionPeriod),
            Is.EqualTo(("2025-08-01", "MailToIntake", "intake@inspectie.example", "36mo")));
        Assert.That(await page.GetByLabel("Per e-mail naar de inspectie").IsCheckedAsync(), Is.True);
        Assert.That(await w.Board.GetStringAsync("/portaal/taken"), Does.Contain("href=\"/portaal/incidenten\""), "on: a po board's menu has the register");
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(RepoFiles.PathOf("docs", "portal"), "admin-incident-settings.png") });

        // In English, and accessible in both languages (axe runs with JavaScript on).
        page = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { JavaScriptEnabled = true, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL" },
            TestHost.AdminEmail, TestHost.AdminPassword);
        await page.GotoAsync("/portaal/beheer/regels?lang=en");
        Assert.That(await page.GetByLabel("The Inspectorate's intake e-mail address").InputValueAsync(), Is.EqualTo("intake@inspectie.example"));
        var problems = (await Chromium.Axe(page)).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"en: {v.Id} {v.Help}").ToList();
        await page.GotoAsync("/portaal/beheer/regels?lang=nl");
        problems.AddRange((await Chromium.Axe(page)).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"nl: {v.Id} {v.Help}"));
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }
}
