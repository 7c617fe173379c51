using CaseHandling.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;

namespace CaseHandling.Server.Pages.Portal.Admin;

/// <summary>
/// The administrator's pages: institutions, accounts, the rules in force, the keys. They run the installation and never
/// show case content. Built on the chain pages' helpers (words for enums, error display, the error summary); a
/// confirmation after a post travels in TempData, never in the URL.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public abstract class AdminPage : FormPage
{
    public const string SavedKey = "portal.admin.saved";

    /// <summary>The confirmation of the last post, in the reader's language (shown once).</summary>
    public string? Saved { get; private set; }

    /// <summary>Labels of fields that have no fixed one (a row's field names its row).</summary>
    public Dictionary<string, string> FieldLabels { get; } = new();

    /// <summary>A field's label for the error summary: "create-email" → the text of admin.field.email.</summary>
    public string? Label(string id) => FieldLabels.GetValueOrDefault(id) ?? T.Maybe("admin.field." + id[(id.IndexOf('-') + 1)..]);

    /// <summary>A word for an enum at the start of a label or a cell ("overleg starten" → "Overleg starten").</summary>
    public static string Cap(string s) => s.Length == 0 ? s : char.ToUpper(s[0], System.Globalization.CultureInfo.CurrentCulture) + s[1..];

    protected void ReadSaved()
    {
        if (TempData[SavedKey] is string s) Saved = s;
    }

    /// <summary>Post-redirect-get: the confirmation for the next page, and back to this page (keeping an English reader in English).</summary>
    protected Microsoft.AspNetCore.Mvc.IActionResult Done(string path, string confirmation)
    {
        TempData[SavedKey] = confirmation;
        return Redirect(path + (T.Lang == "en" ? "?lang=en" : ""));
    }
}
