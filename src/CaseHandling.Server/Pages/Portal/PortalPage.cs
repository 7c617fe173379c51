using CaseHandling.Server.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseHandling.Server.Pages.Portal;

/// <summary>
/// The staff portal's pages. Unlike the reporter's pages they run under a sign-in cookie, so every form carries an
/// anti-forgery token (Razor Pages checks it on every post). Dutch by default, English with ?lang=en. Nothing is cached.
/// </summary>
[StaffPage]
public abstract class PortalPage : LoadingPage, ITextsPage
{
    [BindProperty(SupportsGet = true, Name = "lang")]
    public string? LangParam { get; set; }

    public Texts T => _texts ??= HttpContext.RequestServices.GetRequiredService<Texts>();
    private Texts? _texts;

    public bool IsStaffPage => true;

    /// <summary>The signed-in staff member's role (one per account), or null.</summary>
    public Domain.Cases.StaffRole? Role =>
        User.IsInRole(Infrastructure.Security.Roles.Board) ? Domain.Cases.StaffRole.Board
        : User.IsInRole(Infrastructure.Security.Roles.Vertrouwensinspecteur) ? Domain.Cases.StaffRole.Vertrouwensinspecteur
        : User.IsInRole(Infrastructure.Security.Roles.StaffMember) ? Domain.Cases.StaffRole.StaffMember
        : User.IsInRole(Infrastructure.Security.Roles.MeldpuntHandler) ? Domain.Cases.StaffRole.MeldpuntHandler
        : User.IsInRole(Infrastructure.Security.Roles.Administrator) ? Domain.Cases.StaffRole.Administrator
        : User.IsInRole(Infrastructure.Security.Roles.Inspectie) ? Domain.Cases.StaffRole.Inspectie
        : null;

    /// <summary>Whether the navigation offers the incident register (Features/Incidents/IsIncidentRegisterShown); asked once per request.</summary>
    public async Task<bool> IncidentRegisterShownAsync()
    {
        if (Role is not (Domain.Cases.StaffRole.Board or Domain.Cases.StaffRole.StaffMember)) return false;
        return _incidentRegisterShown ??= await HttpContext.RequestServices.GetRequiredService<Mediator.IMediator>()
            .Send(new Features.Incidents.IsIncidentRegisterShown(), HttpContext.RequestAborted);
    }
    private bool? _incidentRegisterShown;

    /// <summary>Field → message, in the reader's language.</summary>
    public Dictionary<string, string> Errors { get; } = new();

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    /// <summary>aria-describedby for the field with this id: its hint (when it has one) and its error (when there is one).</summary>
    public string? Described(string field, string? hint = null) =>
        string.Join(" ", new[] { hint, ErrorFor(field) is null ? null : field + "-error" }.Where(x => x is not null)) is { Length: > 0 } d ? d : null;

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        // The language switch (?lang=en) is remembered for the staff member's next pages; see Languages.
        if (Languages.Parse(LangParam) is { } lang)
            Response.Cookies.Append(Languages.CookieName, lang, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = Request.IsHttps || HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.Configuration.SecurityOptions>>().Value.RequireHttps, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        Response.Headers.CacheControl = "no-store";
        base.OnPageHandlerExecuting(context);
    }
}
