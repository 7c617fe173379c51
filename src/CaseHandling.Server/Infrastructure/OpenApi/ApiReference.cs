using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CaseHandling.Server.Infrastructure.Localization;
using Microsoft.Extensions.Localization;
using Scalar.AspNetCore;

namespace CaseHandling.Server.Infrastructure.OpenApi;

/// <summary>
/// The API reference page (Scalar): where it lives (its script needs a policy of its own, SecurityHeaders), and how it
/// speaks and looks. Like the portal it speaks Dutch by default and English with `?lang=en` (or the staff member's
/// remembered choice, the ch-lang cookie: the endpoint is marked as a staff page, see <see cref="Languages"/>).
/// What can follow the language: the page title, our header with its introduction and language switch, and Scalar's own
/// labels (search, navigation, "Responses", ...). Scalar ships no Dutch, so the Dutch labels are ours, in Texts.resx
/// under `apiref.ui.*` and handed to Scalar's translation overrides. The OpenAPI document itself (summaries,
/// descriptions, schemas) is one document, in English, and stays so: docs/API.md.
/// </summary>
public static class ApiReference
{
    public const string Path = "/scalar";

    /// <summary>Keys under this prefix are Scalar's own labels: `apiref.ui.search.placeholder` → {search:{placeholder}}.</summary>
    public const string UiPrefix = "apiref.ui.";

    /// <summary>Sets the options for this request: its language, and the portal's look (light only, its colours and font).</summary>
    public static void Configure(ScalarOptions o, HttpContext http, string customCss)
    {
        var localizer = http.RequestServices.GetRequiredService<IStringLocalizer<Texts>>();
        var lang = Languages.Of(CultureInfo.CurrentUICulture);
        var other = lang == Languages.English ? Languages.Dutch : Languages.English;
        string T(string key) => WebUtility.HtmlEncode(localizer[key]);

        o.Title = localizer["apiref.title"];
        o.Localization = new ScalarLocalizationOptions { Locale = lang, Translations = UiTranslations(localizer) };
        o.CustomCss = customCss;
        o.Theme = ScalarTheme.None;
        o.ForceThemeMode = ThemeMode.Light;
        o.HideDarkModeToggle = true;
        o.ShowDeveloperTools = DeveloperToolsVisibility.Never; // Scalar's toolbar (share, deploy to its cloud) is not for staff
        // Our header, in the page's language, above Scalar's own page: the way back to the portal, the document's one
        // language, and the switch (same page, the other language; the document name stays in the path).
        var self = WebUtility.HtmlEncode(Languages.SwitchUrl(http.Request, other));
        var home = lang == Languages.English ? "/portaal?lang=en" : "/portaal";
        o.HeaderContent = $"""
            <header class="ch-header" lang="{lang}">
              <a class="ch-home" href="{home}">{T("staff.site")}</a>
              <a class="ch-switch" href="{self}" hreflang="{other}" lang="{other}">{T("switch")}</a>
            </header>
            <section class="ch-intro" lang="{lang}">
              <h1>{T("apiref.heading")}</h1>
              <p>{T("apiref.intro")}</p>
              <p class="ch-note">{T("apiref.documentLanguage")}</p>
            </section>
            """;
    }

    /// <summary>Every `apiref.ui.*` text of this request's language, nested as Scalar's translation overrides expect.</summary>
    public static JsonObject UiTranslations(IStringLocalizer localizer)
    {
        var root = new JsonObject();
        foreach (var s in localizer.GetAllStrings(includeParentCultures: true).Where(s => s.Name.StartsWith(UiPrefix, StringComparison.Ordinal)))
        {
            var parts = s.Name[UiPrefix.Length..].Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child) node[part] = child = new JsonObject();
                node = child;
            }
            node[parts[^1]] ??= s.Value; // the request's culture comes first, its parent (Dutch) after
        }
        return root;
    }
}
