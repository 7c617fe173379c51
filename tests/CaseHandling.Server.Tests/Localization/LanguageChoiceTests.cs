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
        Assert.That(await english.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"en\">"));
        Assert.That(english.Headers.Contains("Set-Cookie"), Is.False, "the reporter's pages set no cookie, not even for the language");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/opvolgen");
        request.Headers.Add("Cookie", "ch-lang=en");
        using var withCookie = await client.SendAsync(request);
        Assert.That(await withCookie.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"nl\">"), "a staff member's language cookie does not follow them onto the reporter's pages");
    }

    [Test]
    public async Task StaffPage_TheSwitchIsRemembered_AndTheSwitchLinkKeepsTheQuery()
    {
        var client = await Client();
        using var english = await client.GetAsync("/aanmelden?ReturnUrl=%2Fportaal&lang=en");
        var cookie = english.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ch-lang=", StringComparison.Ordinal));
        Assert.That(cookie, Does.StartWith("ch-lang=en").And.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        var html = await english.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<html lang=\"en\">"));
        Assert.That(html, Does.Contain("href=\"/aanmelden?ReturnUrl=%2Fportaal&amp;lang=nl\""), "switching language keeps where the person was going");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/aanmelden");
        request.Headers.Add("Cookie", "ch-lang=en");
        using var remembered = await client.SendAsync(request);
        Assert.That(await remembered.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"en\">"));
    }
}
