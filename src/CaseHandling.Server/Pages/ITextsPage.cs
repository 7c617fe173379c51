using CaseHandling.Server.Infrastructure.Localization;

namespace CaseHandling.Server.Pages;

/// <summary>A page that speaks the reader's language; the layout reads it.</summary>
public interface ITextsPage
{
    Texts T { get; }

    /// <summary>A staff page (sign-in is a cookie there), not the reporter's cookie-free pages.</summary>
    bool IsStaffPage { get; }
}
