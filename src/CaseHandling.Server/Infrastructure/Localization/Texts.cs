using System.Globalization;
using Microsoft.Extensions.Localization;

// Texts.resx is Dutch: the neutral language, so "nl" never looks for a satellite assembly.
[assembly: System.Resources.NeutralResourcesLanguage("nl")]

namespace CaseHandling.Server.Infrastructure.Localization;

/// <summary>
/// The pages' texts, from ASP.NET Core's localization: `Texts.resx` (Dutch, the neutral language) and `Texts.en.resx`.
/// The language is the request's UI culture, which <see cref="Languages"/> chooses per request: `?lang=en` or a hidden
/// form field, and for signed-in staff also their choice remembered in a cookie. The reporter's pages never read or
/// set a cookie.
/// </summary>
public sealed class Texts(IStringLocalizer<Texts> localizer)
{
    /// <summary>"nl" or "en": the language this request is answered in.</summary>
    public string Lang => Languages.Of(CultureInfo.CurrentUICulture);

    /// <summary>The text for a key; a key missing in both files shows as itself (LocalizationTests fails on it).</summary>
    public string this[string key] => localizer[key];

    /// <summary>The text for a key, or null when neither language file has it (for keys made from data).</summary>
    public string? Maybe(string key) => localizer[key] is { ResourceNotFound: false } found ? found.Value : null;

    public string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>Turns a validation message of the API into the reader's language.</summary>
    public string Error(string field, string apiMessage) => apiMessage switch
    {
        "Required." => this["err.required"],
        _ when apiMessage.StartsWith("At most", StringComparison.Ordinal) => this["err.maxlength"],
        _ when apiMessage.StartsWith("Give an e-mail", StringComparison.Ordinal) => this["err.contact"],
        "Not an e-mail address." => this["err.email"],
        "Name who was informed." => this["err.parties.none"],
        "Must not be in the future." => this["err.future"],
        "Not a vertrouwensinspecteur." => this["err.inspector"],
        "The accused must be informed too." => this["err.parties.accused"],
        "The parents (minor) or the student (adult) must be informed." => this["err.parties.victim"],
        Domain.Cases.Informing.AdultParents => this["err.parties.adultParents"],
        Domain.Cases.Informing.MinorParentsMissing => this["err.parties.minorParents"],
        Domain.Cases.Informing.AdultStudentMissing => this["err.parties.adultStudent"],
        _ when field is "institutionId" or "accusedInstitutionId" => this["err.institution"],
        "No case with this number at the report's institution." => this["err.joincase.unknown"],
        _ when apiMessage.StartsWith("That case is closed", StringComparison.Ordinal) => this["err.joincase.closed"],
        _ when field == "items" => this["err.items"],
        _ => apiMessage,
    };
}
