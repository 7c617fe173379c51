using System.Collections.Concurrent;
using System.Collections.Frozen;
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
    private readonly ConcurrentDictionary<string, FrozenSet<string>> _own = new();
    private readonly ConcurrentDictionary<string, byte> _gaps = new();

    /// <summary>The language this request is answered in: "nl" or "en", and on the reporter's pages also "ar", "tr", "pl", "uk".</summary>
    public string Lang => Languages.Of(CultureInfo.CurrentUICulture);

    /// <summary>The text for a key; a key missing in both files shows as itself (LocalizationTests fails on it).</summary>
    public string this[string key]
    {
        get
        {
            var text = localizer[key];
            NoteGap(key);
            return text;
        }
    }

    /// <summary>
    /// "lang:key" for every key a page asked for in one of the reporter's other languages (Arabic, Turkish, Polish,
    /// Ukrainian) that its file lacks: the reader saw the Dutch text there. The browser tests walk every reporter page in
    /// every language and require this to stay empty (Dutch and English have every key: LocalizationTests).
    /// </summary>
    public IReadOnlyCollection<string> Gaps => [.. _gaps.Keys];

    private void NoteGap(string key)
    {
        var lang = Lang;
        if (lang is Languages.Dutch or Languages.English) return;
        var own = _own.GetOrAdd(lang, _ => localizer.GetAllStrings(includeParentCultures: false).Select(s => s.Name).ToFrozenSet());
        if (!own.Contains(key)) _gaps.TryAdd(lang + ":" + key, 0);
    }

    /// <summary>The text for a key, or null when neither language file has it (for keys made from data).</summary>
    public string? Maybe(string key)
    {
        if (localizer[key] is not { ResourceNotFound: false } found) return null;
        NoteGap(key);
        return found.Value;
    }

    public string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>Turns a validation message of the API into the reader's language.</summary>
    public string Error(string field, string apiMessage) => field == "file" ? FileError(apiMessage) : apiMessage switch
    {
        "Required." => this["err.required"],
        _ when apiMessage.StartsWith("At most", StringComparison.Ordinal) => this["err.maxlength"],
        _ when apiMessage.StartsWith("Give an e-mail", StringComparison.Ordinal) => this["err.contact"],
        "Not an e-mail address." => this["err.email"],
        "Name who was informed." => this["err.parties.none"],
        "Must not be in the future." => this["err.future"],
        Domain.Reports.Report.OralRecordedTooLate => this["err.oral.late"],
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

    /// <summary>Why a file was refused (docs/EVIDENCE.md), in the reader's language.</summary>
    private string FileError(string apiMessage) => apiMessage switch
    {
        "Required." => this["err.file.required"],
        "The file is empty." => this["err.file.empty"],
        _ when apiMessage.StartsWith("This kind of file", StringComparison.Ordinal) => this["err.file.type"],
        _ when apiMessage.StartsWith("The file is larger", StringComparison.Ordinal) => this["err.file.size"],
        _ when apiMessage.Contains("million pixels", StringComparison.Ordinal) => this["err.file.pixels"],
        _ when apiMessage.Contains("damaged", StringComparison.Ordinal) => this["err.file.damaged"],
        _ when apiMessage.StartsWith("At most", StringComparison.Ordinal) => this["err.file.count"],
        _ => this["err.file.cut"],
    };
}
