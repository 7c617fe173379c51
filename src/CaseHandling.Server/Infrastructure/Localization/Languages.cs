using System.Globalization;
using CaseHandling.Domain.Reports;
using Microsoft.AspNetCore.Localization;

namespace CaseHandling.Server.Infrastructure.Localization;

/// <summary>
/// Dutch by default. The staff pages speak Dutch or English; the reporter's pages also Arabic, Turkish, Polish and
/// Ukrainian (docs/LANGUAGES.md), the languages most spoken by pupils' families here besides Dutch. Every page
/// request is answered in the language its `lang` asks for (query string or hidden form field). A staff page also
/// remembers the choice in a cookie, so the portal's many links and redirects need not carry it; the reporter's pages
/// ignore that cookie and set none (they leave no trail).
/// </summary>
public static class Languages
{
    public const string Dutch = ReporterLanguage.Dutch;
    public const string English = ReporterLanguage.English;
    public const string Arabic = ReporterLanguage.Arabic;
    public const string CookieName = "ch-lang";

    /// <summary>The staff pages' languages.</summary>
    public static readonly IReadOnlyList<string> Staff = [Dutch, English];

    /// <summary>The reporter's pages' languages, in the order the switch lists them.</summary>
    public static readonly IReadOnlyList<string> Reporter = ReporterLanguage.All;

    /// <summary>Each language's name in itself, as the switch shows it (a reader looks for their own language's name).</summary>
    public static string NameOf(string lang) => lang switch
    {
        Dutch => "Nederlands",
        English => "English",
        Arabic => "العربية",
        ReporterLanguage.Turkish => "Türkçe",
        ReporterLanguage.Polish => "Polski",
        ReporterLanguage.Ukrainian => "Українська",
        _ => lang,
    };

    /// <summary>Arabic is written right to left: the page is laid out mirrored (`dir="rtl"`).</summary>
    public static bool IsRightToLeft(string lang) => lang == Arabic;

    public static string Of(CultureInfo culture) => Parse(culture.TwoLetterISOLanguageName, reporter: true) ?? Dutch;

    /// <summary>A language code of the pages asked for; anything else (or nothing) → null, meaning the default.</summary>
    public static string? Parse(string? value, bool reporter = false)
    {
        var lang = value?.Trim().ToLowerInvariant();
        return lang is not null && (reporter ? Reporter : Staff).Contains(lang) ? lang : null;
    }

    /// <summary>`?lang=xx` for a link, or nothing for the default language.</summary>
    public static string Query(string lang) => lang == Dutch ? "" : "?lang=" + lang;

    /// <summary>This page in the other language, keeping its query (a ReturnUrl, a filter) apart from `lang`.</summary>
    public static string SwitchUrl(HttpRequest request, string lang)
    {
        var query = request.Query.Where(q => q.Key != "lang").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("lang", lang));
        return request.PathBase + request.Path + Microsoft.AspNetCore.Http.QueryString.Create(query);
    }

    public static void Configure(RequestLocalizationOptions o)
    {
        // Dates are written in the Gregorian calendar in every language (a neutral "ar" culture may default to another).
        var cultures = Reporter.Select(Culture).ToList();
        o.DefaultRequestCulture = new RequestCulture(Culture(Dutch));
        o.SupportedCultures = cultures;
        o.SupportedUICultures = cultures;
        o.ApplyCurrentCultureToResponseHeaders = false;
        o.RequestCultureProviders = [new LangParameter(), new StaffCookie()];
    }

    private static CultureInfo Culture(string lang)
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo(lang).Clone();
        if (culture.DateTimeFormat.Calendar is not GregorianCalendar) culture.DateTimeFormat.Calendar = new GregorianCalendar();
        return CultureInfo.ReadOnly(culture);
    }

    /// <summary>`lang` in the query string, or in the posted form (the reporter's forms carry it as a hidden field).</summary>
    private sealed class LangParameter : RequestCultureProvider
    {
        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext http)
        {
            // The staff pages offer Dutch and English only; every other page is the reporter's.
            var reporter = http.GetEndpoint()?.Metadata.GetMetadata<StaffPageAttribute>() is null;
            var lang = Parse(http.Request.Query["lang"], reporter);
            // A multipart form (a file upload) is not read here: that would buffer the file; its form carries lang in the address.
            if (lang is null && HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
                && !http.Request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            {
                try { lang = Parse((await http.Request.ReadFormAsync(http.RequestAborted))["lang"], reporter); }
                catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException) { } // the page answers the bad form
            }
            return lang is null ? null : new ProviderCultureResult(lang);
        }
    }

    /// <summary>The language a signed-in staff member chose, on staff pages only.</summary>
    private sealed class StaffCookie : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext http)
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<StaffPageAttribute>() is null) return NullProviderCultureResult;
            var lang = Parse(http.Request.Cookies[CookieName]);
            return Task.FromResult(lang is null ? null : new ProviderCultureResult(lang));
        }
    }
}

/// <summary>Marks a staff page: there the language choice is remembered in a cookie.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class StaffPageAttribute : Attribute;
