using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>What a reporter does on the reporter's pages, as the browser tests of both sides do it.</summary>
public static class ReporterSteps
{
    /// <summary>The answers of the report form's choices, by their values (several labels read alike, e.g. "Iemand anders").</summary>
    public sealed record Answers(
        string ReporterKind = "Student",
        string Incident = "SeksueleIntimidatie",
        string Accused = "MetTakenBelastPersoon",
        string Victim = "Reporter",
        string Age = "Adult",
        string Destination = "MeldpuntOnly");

    /// <summary>Files a report on /melden and returns the receipt code the page shows once.</summary>
    public static async Task<string> FileReport(IPage page, string institutionName, string text, Answers? answers = null)
    {
        var a = answers ?? new Answers();
        await page.GotoAsync("/melden");
        await page.Locator("#reporterKind-" + a.ReporterKind).CheckAsync();
        await page.Locator("#incidentType-" + a.Incident).CheckAsync();
        await page.GetByLabel("Wat is er gebeurd?").FillAsync(text);
        await page.GetByLabel("Wanneer was het?").FillAsync("vorige week");
        await page.GetByLabel("Bij welke instelling?").SelectOptionAsync(new SelectOptionValue { Label = institutionName });
        await page.Locator("#accusedRole-" + a.Accused).CheckAsync();
        await page.Locator("#victimWho-" + a.Victim).CheckAsync();
        await page.Locator("#victimAge-" + a.Age).CheckAsync();
        await page.Locator("#destination-" + a.Destination).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).ClickAsync();
        var code = (await page.Locator("#receipt-code").TextContentAsync())!.Trim();
        Assert.That(code, Does.Match("^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$"));
        return code;
    }

    /// <summary>Opens the report's status page on /opvolgen with the receipt code (posted, never in the URL).</summary>
    public static async Task OpenWithCode(IPage page, string code)
    {
        await page.GotoAsync("/opvolgen");
        await page.GetByLabel("Ontvangstcode").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Bekijken" }).ClickAsync();
    }
}
