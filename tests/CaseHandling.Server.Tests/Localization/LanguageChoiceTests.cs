using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CaseHandling.Server.Tests.Localization;

/// <summary>
/// Dutch by default, English on request. The reporter's pages choose per request and never read or set a cookie
/// (they leave no trail); a staff page remembers the choice in a cookie.
/// </summary>
public sealed class LanguageChoiceTests
{
    private static async Task<HttpClient> Client() =>
        (await TestHost.Get()).CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

    [Test]
    public async Task ReporterPage_EnglishOnRequest_NoCookieSet_AndAStaffLanguageCookieIgnored()
    {
        var client = await Client();
        using var english = await client.GetAsync("/opvolgen?lang=en");
        Assert.That(await english.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"en\" dir=\"ltr\">"));
        Assert.That(english.Headers.Contains("Set-Cookie"), Is.False, "the reporter's pages set no cookie, not even for the language");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/opvolgen");
        request.Headers.Add("Cookie", "ch-lang=en");
        using var withCookie = await client.SendAsync(request);
        Assert.That(await withCookie.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"nl\" dir=\"ltr\">"), "a staff member's language cookie does not follow them onto the reporter's pages");
    }

    [Test]
    public async Task StaffPage_TheSwitchIsRemembered_AndTheSwitchLinkKeepsTheQuery()
    {
        var client = await Client();
        using var english = await client.GetAsync("/aanmelden?ReturnUrl=%2Fportaal&lang=en");
        var cookie = english.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ch-lang=", StringComparison.Ordinal));
        Assert.That(cookie, Does.StartWith("ch-lang=en").And.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        var html = await english.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<html lang=\"en\" dir=\"ltr\">"));
        Assert.That(html, Does.Contain("href=\"/aanmelden?ReturnUrl=%2Fportaal&amp;lang=nl\""), "switching language keeps where the person was going");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/aanmelden");
        request.Headers.Add("Cookie", "ch-lang=en");
        using var remembered = await client.SendAsync(request);
        Assert.That(await remembered.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"en\" dir=\"ltr\">"));
    }

    /// <summary>
    /// The reporter's pages in Arabic, Turkish, Polish and Ukrainian too: each answers in its own words, Arabic right to
    /// left, still without a cookie; the staff pages keep to Dutch and English.
    /// </summary>
    [TestCase("ar", "rtl")]
    [TestCase("tr", "ltr")]
    [TestCase("pl", "ltr")]
    [TestCase("uk", "ltr")]
    public async Task ReporterPage_InEachOtherLanguage_ItsOwnWordsAndDirection_NoCookie(string lang, string dir)
    {
        var client = await Client();
        using var page = await client.GetAsync($"/opvolgen?lang={lang}");
        var html = await page.Content.ReadAsStringAsync();
        var title = System.Xml.Linq.XDocument.Load(RepoFiles.PathOf("src", "CaseHandling.Server", "Infrastructure", "Localization", $"Texts.{lang}.resx"))
            .Root!.Elements("data").Single(d => (string)d.Attribute("name")! == "follow.title").Element("value")!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain($"<html lang=\"{lang}\" dir=\"{dir}\">"));
            Assert.That(html, Does.Contain(System.Net.WebUtility.HtmlEncode(title)), "the page's own title in that language");
            Assert.That(html, Does.Contain($"hreflang=\"nl\""), "the switch leads back to Dutch");
            Assert.That(html, Does.Contain("dir=\"ltr\" class=\"ltr\""), "the receipt code is typed left to right in every language");
            Assert.That(page.Headers.Contains("Set-Cookie"), Is.False);
        });

        using var staff = await client.GetAsync($"/aanmelden?lang={lang}");
        Assert.That(await staff.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"nl\" dir=\"ltr\">"), "the staff pages speak Dutch or English only");
    }

    /// <summary>
    /// An address on the reporter's side that does not exist: a page in the reporter's language with the way back,
    /// not a bare "Status Code: 404"; the API keeps its ProblemDetails.
    /// </summary>
    [TestCase("nl", "ltr")]
    [TestCase("en", "ltr")]
    [TestCase("ar", "rtl")]
    [TestCase("tr", "ltr")]
    [TestCase("pl", "ltr")]
    [TestCase("uk", "ltr")]
    public async Task ReporterErrorPage_InTheReportersLanguage(string lang, string dir)
    {
        var client = await Client();
        using var missing = await client.GetAsync($"/melden/bestaat-niet?lang={lang}");
        var html = await missing.Content.ReadAsStringAsync();
        var file = lang == "nl" ? "Texts.resx" : $"Texts.{lang}.resx";
        var title = System.Xml.Linq.XDocument.Load(RepoFiles.PathOf("src", "CaseHandling.Server", "Infrastructure", "Localization", file))
            .Root!.Elements("data").Single(d => (string)d.Attribute("name")! == "error.title.404").Element("value")!.Value.Trim();
        Assert.Multiple(() =>
        {
            Assert.That((int)missing.StatusCode, Is.EqualTo(404));
            Assert.That(html, Does.Contain($"<html lang=\"{lang}\" dir=\"{dir}\">"));
            Assert.That(html, Does.Contain(System.Net.WebUtility.HtmlEncode(title)));
            Assert.That(html, Does.Contain(lang == "nl" ? "href=\"/\"" : $"href=\"/?lang={lang}\""), "the way back, in the same language");
            Assert.That(missing.Headers.Contains("Set-Cookie"), Is.False);
        });

        using var api = await client.PostAsync("/api/reports/bestaat-niet", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(api.Content.Headers.ContentType?.MediaType, Is.Not.EqualTo("text/html"), "the API keeps its own answers");
    }
}
