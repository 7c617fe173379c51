using System.Globalization;
using System.Net;
using CaseHandling.Server.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;

namespace CaseHandling.Server.Infrastructure.Errors;

/// <summary>
/// A page with the site's style and no layout, in the language the request asked for (any of the reporter's six): for
/// when the layout cannot run (the database is away; it may read the signed-in account) or there is nothing to lay out
/// (an error status without a body). Sets no cookie, loads nothing from elsewhere.
/// </summary>
public static class PlainPage
{
    /// <summary>The `lang` of the query string or of a form already read; Dutch otherwise.</summary>
    public static string LanguageOf(HttpContext context) =>
        Languages.Parse(context.Request.Query["lang"], reporter: true)
        ?? (context.Features.Get<IFormFeature>()?.Form?["lang"] is { Count: > 0 } formLang ? Languages.Parse(formLang, reporter: true) : null)
        ?? Languages.Dutch;

    /// <param name="link">Where the page's one link goes, and the key of its words.</param>
    public static async Task WriteAsync(HttpContext context, IStringLocalizer<Texts> texts, string titleKey, IReadOnlyList<string> paragraphKeys,
        (string Href, string TextKey) link)
    {
        var lang = LanguageOf(context);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(lang);
        string title, linkText;
        List<string> paragraphs;
        try
        {
            title = texts[titleKey];
            paragraphs = [.. paragraphKeys.Select(k => texts[k].Value)];
            linkText = texts[link.TextKey];
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
        string H(string s) => WebUtility.HtmlEncode(s);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{lang}" dir="{(Languages.IsRightToLeft(lang) ? "rtl" : "ltr")}">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="referrer" content="no-referrer" />
                <title>{H(title)}</title>
                <link rel="stylesheet" href="/css/site.css" />
            </head>
            <body>
                <main id="main">
                    <h1>{H(title)}</h1>
            {string.Concat(paragraphs.Select(p => $"        <p>{H(p)}</p>\n"))}        <p><a href="{H(link.Href)}">{H(linkText)}</a></p>
                </main>
            </body>
            </html>
            """);
    }
}

/// <summary>
/// An error status on a reporter's page that has no body of its own (an address that does not exist, too many attempts):
/// a plain page in the reporter's language instead of the bare "Status Code: 404", with the way back to the start.
/// The API and the staff pages keep their own answers.
/// </summary>
public static class ReporterStatusPages
{
    public static IApplicationBuilder UseReporterStatusPages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            var texts = context.RequestServices.GetRequiredService<IStringLocalizer<Texts>>();
            var notFound = context.Response.StatusCode == StatusCodes.Status404NotFound;
            var lang = PlainPage.LanguageOf(context);
            context.Response.Headers.CacheControl = "no-store";
            await PlainPage.WriteAsync(context, texts, notFound ? "error.title.404" : "error.title", [notFound ? "error.body.404" : "error.body"],
                ("/" + Languages.Query(lang), "error.home"));
        });
}
