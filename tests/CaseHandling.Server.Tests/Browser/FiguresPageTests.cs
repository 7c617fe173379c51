using CaseHandling.Server.Tests.Features;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The figures page (/portaal/cijfers) in real Chromium, as the administrator and as a board, with JavaScript on and off:
/// tables, server-drawn charts, the CSV export with the same suppression, axe in Dutch and English, the keyboard.
/// The JavaScript-off run saves the screenshots in docs/portal/.
/// </summary>
public sealed class FiguresPageTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private FiguresTests.Seeded _data = null!;
    private string _adminEmail = null!;
    private string _boardEmail = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        // A database of its own, so that the administrator's page shows these institutions only (and the screenshots stay readable).
        _host = await TestHost.Get("figures-browser", kestrel: true);
        _data = await FiguresTests.Seed(_host);
        _adminEmail = TestHost.AdminEmail;
        _boardEmail = $"figures-board-{Guid.NewGuid():N}"[..24] + "@test.casehandling.nl";
        await (await _data.World.Admin.Post("/api/admin/users", new CaseHandling.Server.Features.Admin.CreateUser(_boardEmail, "Bestuur cijfers",
            World.Password, CaseHandling.Domain.Cases.StaffRole.Board, _data.World.InstitutionId))).Read<CaseHandling.Server.Features.Admin.UserView>(System.Net.HttpStatusCode.Created);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<IPage> SignedIn(string email, string password, bool javaScript)
    {
        return await Chromium.SignedIn(_browser, new BrowserNewContextOptions
        {
            JavaScriptEnabled = javaScript, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL", AcceptDownloads = true,
        }, email, password);
    }

    private static async Task<string> Download(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download deze cijfers als CSV-bestand" }).First.ClickAsync());
        Assert.That(download.SuggestedFilename, Is.EqualTo("cijfers.csv"));
        return await File.ReadAllTextAsync((await download.PathAsync())!);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task FiguresPage_AdministratorAndBoard_TablesChartsAndTheSameSuppressionInTheCsv(bool javaScript)
    {
        var admin = await SignedIn(_adminEmail, TestHost.AdminPassword, javaScript);
        await admin.GotoAsync("/portaal/cijfers");
        Assert.That(await admin.Locator("h1").InnerTextAsync(), Is.EqualTo("Cijfers"));
        Assert.That(await admin.Locator("nav.portal-nav a[aria-current=page]").InnerTextAsync(), Is.EqualTo("Cijfers"));
        Assert.That(await admin.Locator("figure.chart svg[role=img]").CountAsync(), Is.GreaterThanOrEqualTo(7), "a chart beside each table but the institutions'");
        Assert.That(await admin.Locator("svg title").First.TextContentAsync(), Does.StartWith("Grafiek: Zaken per kwartaal"));
        var institutions = admin.Locator("section[aria-labelledby=institution] table");
        foreach (var name in new[] { _data.Own, _data.Second, _data.Third, _data.OtherSector })
            Assert.That(await institutions.GetByRole(AriaRole.Rowheader, new() { Name = name, Exact = true }).CountAsync(), Is.EqualTo(1), name);
        Assert.That(await institutions.Locator("tr", new() { HasText = _data.Second }).Locator("td").InnerTextAsync(), Is.EqualTo("<5"));
        if (!javaScript) await Chromium.Screenshot(admin, "figures-administrator.png");
        var adminCsv = await Download(admin);
        Assert.That(adminCsv, Does.Contain($"institution,institution:"));
        Assert.That(adminCsv, Does.Contain(_data.Second + ",Item,all,<5"));

        var board = await SignedIn(_boardEmail, CaseHandling.Server.Tests.Infrastructure.World.Password, javaScript);
        await board.GotoAsync("/portaal/cijfers");
        var main = await board.Locator("main").InnerTextAsync();
        Assert.That(main, Does.Contain($"Eigen instelling ({_data.Own})"));
        Assert.That(main, Does.Contain("Sector Voortgezet onderwijs (totaal)"));
        foreach (var other in new[] { _data.Second, _data.Third, _data.OtherSector })
            Assert.That(await board.ContentAsync(), Does.Not.Contain(other));
        if (!javaScript) await Chromium.Screenshot(board, "figures-board.png");
        var boardCsv = await Download(board);
        foreach (var other in new[] { _data.Second, _data.Third, _data.OtherSector }) Assert.That(boardCsv, Does.Not.Contain(other));
        // Every count on the page is the CSV's: the same cells, the same marks.
        var cells = await board.Locator("section[aria-labelledby=type] table tbody tr").AllInnerTextsAsync();
        Assert.That(cells, Is.Not.Empty);
        Assert.That(boardCsv, Does.Contain("type,cases,Totaal,Total,own,11"));
        Assert.That(await board.Locator("section[aria-labelledby=type] tr", new() { HasText = "Totaal" }).Locator("td").AllInnerTextsAsync(),
            Is.EqualTo(new[] { "11", "20" }));

        await board.GotoAsync("/portaal/cijfers?lang=en");
        Assert.That(await board.Locator("h1").InnerTextAsync(), Is.EqualTo("Figures"));
        Assert.That(await board.Locator("main").InnerTextAsync(), Does.Contain("Cases by quarter"));
        await admin.Context.CloseAsync(); await board.Context.CloseAsync();
    }

    [Test]
    public async Task FiguresPage_NoSeriousOrCriticalAxeViolations_DutchAndEnglish()
    {
        var problems = new List<string>();
        async Task Check(IPage page, string what)
        {
            var result = await Chromium.Axe(page);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        var admin = await SignedIn(_adminEmail, TestHost.AdminPassword, javaScript: true);
        await admin.GotoAsync("/portaal/cijfers"); await Check(admin, "admin nl");
        await admin.GotoAsync("/portaal/cijfers?lang=en"); await Check(admin, "admin en");
        var board = await SignedIn(_boardEmail, World.Password, javaScript: true);
        await board.GotoAsync("/portaal/cijfers"); await Check(board, "board nl");
        await board.GotoAsync("/portaal/cijfers?lang=en"); await Check(board, "board en");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await admin.Context.CloseAsync(); await board.Context.CloseAsync();
    }

    [Test]
    public async Task FiguresPage_ExportLink_ReachedByKeyboard_AndDownloadsWithEnter()
    {
        var board = await SignedIn(_boardEmail, World.Password, javaScript: true);
        await board.GotoAsync("/portaal/cijfers");
        for (var i = 0; i < 40; i++)
        {
            await board.Keyboard.PressAsync("Tab");
            if ((await board.EvaluateAsync<string?>("document.activeElement.getAttribute('href')")) == "/portaal/cijfers/export.csv") break;
        }
        Assert.That(await board.EvaluateAsync<string?>("document.activeElement.getAttribute('href')"), Is.EqualTo("/portaal/cijfers/export.csv"),
            "Tab reaches the export link");
        var download = await board.RunAndWaitForDownloadAsync(() => board.Keyboard.PressAsync("Enter"));
        Assert.That(await File.ReadAllTextAsync((await download.PathAsync())!), Does.StartWith("table,row,label,kind,column,value"));
        await board.Context.CloseAsync();
    }
}
