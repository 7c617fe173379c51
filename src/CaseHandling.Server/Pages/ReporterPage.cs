using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseHandling.Server.Pages;

/// <summary>
/// The reporter's pages: anonymous, server-rendered, working without JavaScript. They set no cookie at all:
/// the language travels as `lang` in the query or a hidden field, and the receipt code in a hidden field of
/// each form (POST body, never a URL). No antiforgery token either, as that needs a cookie: there is no ambient
/// authority (no cookie or session) that a forged request could borrow. Forms are still protected against
/// submission from another site (<see cref="IsCrossSite"/>), the cookie-less way. Nothing is cached.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public abstract class ReporterPage : LoadingPage, ITextsPage
{
    public bool IsStaffPage => false;

    [BindProperty(SupportsGet = true, Name = "lang")]
    public string? LangParam { get; set; }

    public Texts T => _texts ??= HttpContext.RequestServices.GetRequiredService<Texts>();
    private Texts? _texts;

    /// <summary>Field → message, in the reader's language.</summary>
    public Dictionary<string, string> Errors { get; } = new();

    public string? Notice { get; set; }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (HttpMethods.IsPost(Request.Method) && IsCrossSite(Request))
        {
            // Anti-forgery without a cookie: a form posted from another site (a page that would file reports in a
            // visitor's name, or probe receipt codes through their browser) is refused before it is read.
            context.Result = new ContentResult { StatusCode = StatusCodes.Status403Forbidden, Content = T["err.crosssite"], ContentType = "text/plain; charset=utf-8" };
            return;
        }
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        base.OnPageHandlerExecuting(context);
    }

    /// <summary>Shows an expected failure on the page; true when it was a validation failure (fields named).</summary>
    protected void ShowError(Error error)
    {
        switch (error)
        {
            case ValidationFailed v:
                foreach (var (field, messages) in v.Fields) Errors[field] = T.Error(field, messages[0]);
                break;
            case StepNotAllowed or InvalidTransition or Forbidden:
                Notice = T["err.step"];
                break;
            default:
                Notice = T["follow.unknown"];
                break;
        }
    }

    /// <summary>
    /// Fetch metadata first (every current browser sends Sec-Fetch-Site on a form POST); otherwise the Origin header,
    /// when it names one (our Referrer-Policy makes browsers send "null" for our own forms, which passes).
    /// </summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is not ("same-origin" or "none");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null") return false;
        return !Uri.TryCreate(origin, UriKind.Absolute, out var o) || !string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    public string LangQuery => Languages.Query(T.Lang);
}
