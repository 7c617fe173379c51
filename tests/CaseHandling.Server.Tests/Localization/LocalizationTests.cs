using System.Text.RegularExpressions;
using System.Xml.Linq;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Localization;

/// <summary>
/// The pages' texts live in one .resx per language. A key in one language only would show a Dutch text to an English
/// reader (or the key itself to everyone); a key a page asks for that is in neither file shows as the key.
/// </summary>
public sealed partial class LocalizationTests
{
    private static readonly string Folder = RepoFiles.PathOf("src", "CaseHandling.Server", "Infrastructure", "Localization");

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    [Test]
    public void EveryKey_IsInBothLanguages()
    {
        var nl = Load("Texts.resx");
        var en = Load("Texts.en.resx");
        Assert.Multiple(() =>
        {
            Assert.That(nl.Keys.Except(en.Keys), Is.Empty, "in Dutch, missing in English (Texts.en.resx)");
            Assert.That(en.Keys.Except(nl.Keys), Is.Empty, "in English, missing in Dutch (Texts.resx)");
            // The compiled resources look keys up without regard to case: two keys that differ only in case collide.
            Assert.That(nl.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" = ", g)), Is.Empty, "keys that differ only in case");
            Assert.That(nl.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key), Is.Empty, "empty Dutch texts");
            Assert.That(en.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key), Is.Empty, "empty English texts");
        });
    }

    /// <summary>
    /// The reporter's other languages (docs/LANGUAGES.md) carry the reporter's texts only: the same keys in all four, each
    /// also in Dutch, none empty, with the Dutch text's placeholders. That every key a reporter page asks for is among
    /// them, the browser test shows (ReporterReachPagesTests, by Texts.Gaps).
    /// </summary>
    [Test]
    public void ReporterLanguages_HaveTheSameKeys_EachInDutch_WithItsPlaceholders()
    {
        var nl = Load("Texts.resx");
        var files = new[] { "ar", "tr", "pl", "uk" }.ToDictionary(l => l, l => Load($"Texts.{l}.resx"));
        var keys = files["ar"].Keys.ToHashSet();
        Assert.That(keys, Has.Count.GreaterThan(150), "the reporter's pages' texts");
        Assert.Multiple(() =>
        {
            foreach (var (lang, texts) in files)
            {
                Assert.That(texts.Keys.Except(keys).Concat(keys.Except(texts.Keys)), Is.Empty, $"Texts.{lang}.resx has other keys than Texts.ar.resx");
                Assert.That(texts.Keys.Except(nl.Keys), Is.Empty, $"in Texts.{lang}.resx, not in Dutch");
                Assert.That(texts.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key), Is.Empty, $"empty texts in {lang}");
                Assert.That(texts.Keys.Where(k => nl.ContainsKey(k) && !Placeholders(texts[k]).SetEquals(Placeholders(nl[k]))), Is.Empty, $"placeholders differ in {lang}");
            }
        });
    }

    [Test]
    public void FormatPlaceholders_AreTheSameInBothLanguages()
    {
        var nl = Load("Texts.resx");
        var en = Load("Texts.en.resx");
        var differ = nl.Keys.Intersect(en.Keys)
            .Where(k => !Placeholders(nl[k]).SetEquals(Placeholders(en[k])))
            .Select(k => $"{k}: nl {{{string.Join(",", Placeholders(nl[k]))}}} en {{{string.Join(",", Placeholders(en[k]))}}}");
        Assert.That(differ, Is.Empty);
    }

    /// <summary>Every literal key a page or page model asks for (T["…"], T.Format("…")) is in the Dutch file.</summary>
    [Test]
    public void EveryKeyThePagesAskFor_Exists()
    {
        var nl = Load("Texts.resx");
        var pages = RepoFiles.PathOf("src", "CaseHandling.Server", "Pages");
        var asked = Directory.EnumerateFiles(pages, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .ToList();
        Assert.That(asked, Has.Count.GreaterThan(50), "the scan finds the pages' keys");
        Assert.That(asked.Where(a => !nl.ContainsKey(a.Key)).Select(a => $"{a.File}: {a.Key}").Distinct(), Is.Empty);
    }

    /// <summary>The portal names states, steps and facts from the domain's enums (ChainPage.Word, State, Step): every value has its words.</summary>
    [Test]
    public void EveryEnumValueThePortalShows_HasItsWords()
    {
        var nl = Load("Texts.resx");
        Type[] shown = [typeof(Domain.Duties.DutyKind), typeof(Domain.Duties.Coverage), typeof(Domain.Cases.Sector), typeof(Domain.Cases.IncidentType),
            typeof(Domain.Cases.VictimKind), typeof(Domain.Cases.VictimAge), typeof(Domain.Cases.AccusedRole), typeof(Domain.Cases.OpenedVia),
            typeof(Domain.Cases.FollowUp), typeof(Server.Features.Cases.OverlegOutcome), typeof(Server.Features.Cases.InformedParty),
            typeof(Domain.Cases.DutyStatus), typeof(Domain.Cases.StaffRole), typeof(Server.Features.Cases.AttentionReason),
            typeof(Domain.Reports.ReportStatus), typeof(Domain.Reports.ReporterKind), typeof(Domain.Reports.VictimWho), typeof(Domain.Reports.VictimAgeAnswer),
            typeof(Domain.Reports.Destination), typeof(Domain.Reports.HandlerMessageKind), typeof(Domain.Reports.ReportChannel)];
        var missing = shown.SelectMany(t => Enum.GetNames(t).Select(n => $"enum.{t.Name}.{n}"))
            .Concat(Enum.GetNames<Domain.Cases.CaseState>().Select(n => "state." + n))
            .Concat(Enum.GetNames<Domain.Workflow.CaseTrigger>().Select(n => "trigger." + n))
            .Concat(Domain.Workflow.Transitions.Table.Select(t => "law." + (t.Trigger is >= Domain.Workflow.CaseTrigger.ConcludeReasonableSuspicion and <= Domain.Workflow.CaseTrigger.RequestMoreInformation
                ? Domain.Workflow.CaseTrigger.ConcludeReasonableSuspicion : t.Trigger)))
            .Distinct().Where(k => !nl.ContainsKey(k));
        Assert.That(missing, Is.Empty);
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\b[Tt](?:\[|\.Format\()""(?<key>[a-zA-Z](?:[\w.]*\w)?)""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
