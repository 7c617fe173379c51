using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace CaseHandling.Server.Infrastructure.Localization;

/// <summary>
/// Dutch by default, English on request. Every page request is answered in the language its `lang` asks for (query
/// string or hidden form field). A staff page also remembers the choice in a cookie, so the portal's many links and
/// redirects need not carry it; the reporter's pages ignore that cookie and set none (they leave no trail).
/// </summary>
public static class Languages
{
    public const string Dutch = "nl";
    public const string English = "en";
    public const string CookieName = "ch-lang";

    public static string Of(CultureInfo culture) => culture.TwoLetterISOLanguageName == English ? English : Dutch;

    /// <summary>"en" → English; anything else (or nothing) → null, meaning the default.</summary>
    public static string? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        English => English,
        Dutch => Dutch,
        _ => null,
    };

    /// <summary>This page in the other language, keeping its query (a ReturnUrl, a filter) apart from `lang`.</summary>
    public static string SwitchUrl(HttpRequest request, string lang)
    {
        var query = request.Query.Where(q => q.Key != "lang").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("lang", lang));
        return request.PathBase + request.Path + Microsoft.AspNetCore.Http.QueryString.Create(query);
    }

    public static void Configure(RequestLocalizationOptions o)
    {
        string[] supported = [Dutch, English];
        o.SetDefaultCulture(Dutch).AddSupportedCultures(supported).AddSupportedUICultures(supported);
        o.ApplyCurrentCultureToResponseHeaders = false;
        o.RequestCultureProviders = [new LangParameter(), new StaffCookie()];
    }

    /// <summary>`lang` in the query string, or in the posted form (the reporter's forms carry it as a hidden field).</summary>
    private sealed class LangParameter : RequestCultureProvider
    {
        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext http)
        {
            var lang = Parse(http.Request.Query["lang"]);
            if (lang is null && HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType)
            {
                try { lang = Parse((await http.Request.ReadFormAsync(http.RequestAborted))["lang"]); }
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
