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
/// each form (POST body, never a URL). No antiforgery token either: there is no ambient authority (no cookie
/// or session) that a forged request could borrow. Nothing is cached.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public abstract class ReporterPage : PageModel
{
    [BindProperty(SupportsGet = true, Name = "lang")]
    public string? LangParam { get; set; }

    public Texts T { get; private set; } = Texts.For("nl");

    /// <summary>Field → message, in the reader's language.</summary>
    public Dictionary<string, string> Errors { get; } = new();

    public string? Notice { get; set; }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        T = Texts.For(LangParam);
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

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    public string LangQuery => T.Lang == "en" ? "?lang=en" : "";
}
