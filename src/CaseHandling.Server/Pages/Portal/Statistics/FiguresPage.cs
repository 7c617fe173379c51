using System.Globalization;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Features.Statistics;
using CaseHandling.Server.Pages.Portal.Cases;

namespace CaseHandling.Server.Pages.Portal.Statistics;

/// <summary>The words for the monitoring figures' rows and columns, shared by the page and its CSV export.</summary>
public abstract class FiguresPage : FormPage
{
    /// <summary>The row's words: a quarter, a year, a sector, an institution's name, an incident type, an outcome, a span of working days.</summary>
    public string RowLabel(string table, FigureRowLabel row)
    {
        var (prefix, value) = row.Key.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? (row.Key[..i], row.Key[(i + 1)..]) : ("", row.Key);
        return (table, prefix, value) switch
        {
            (_, "institution", _) => row.Name ?? value,
            (_, "", "cases" or "all" or "incidents" or "ratings") => T["figures.total"],
            (_, "rs" or "ri" or "ra", _) => T["rating.score." + value],
            (_, "rq", _) => T.Format("figures.quarter", value[..4], value[^1..]),
            (_, "rsector", _) => T["enum.Sector." + value],
            (_, "icat", _) => Capital(T["enum.IncidentCategory." + value]),
            (_, "isector", _) => T["enum.Sector." + value],
            (_, "iserious" or "ireported", _) => T[$"figures.{prefix}.{value.ToLowerInvariant()}"],
            (_, "", "q1" or "median" or "q3") => T["figures.stat." + value],
            ("late", "", _) => Capital(T["enum.DutyKind." + value]),
            (_, "quarter", _) => T.Format("figures.quarter", value[..4], value[^1..]),
            (_, "year", _) => T.Format("figures.year", value),
            (_, "sector", _) => T["enum.Sector." + value],
            (_, "type", _) => T["enum.IncidentType." + value],
            (_, "coverage", _) => T["enum.Coverage." + value],
            (_, "outcome", "None") => T["figures.outcome.none"],
            (_, "outcome", _) => T["enum.OverlegOutcome." + value],
            (_, "overleg" or "aangifte", "n") => T["figures." + prefix + ".n"],
            (_, "overleg" or "aangifte", "21+") => T["figures.bucket.more"],
            (_, "overleg" or "aangifte", _) => T.Format("figures.bucket", value.Replace("-", "–", StringComparison.Ordinal)),
            _ => row.Key,
        };
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.CurrentCulture) + s[1..];

    public string RowLabel(string table, FigureRow row) => RowLabel(table, new FigureRowLabel(row.Key, row.Name));

    /// <summary>"Eigen instelling (naam)", "Sector (totaal)", "Alle instellingen".</summary>
    public string ColumnLabel(MonitoringFigures f, string column) => column switch
    {
        "own" => T.Format("figures.col.own", f.InstitutionName ?? ""),
        "sector" => T.Format("figures.col.sector", f.Sector is { } s ? T["enum.Sector." + s] : ""),
        _ => T["figures.col.all"],
    };

    public static string Percent(double share) => share.ToString("0.#", CultureInfo.CurrentCulture) + " %";

    public static string Days(double days) => days.ToString("0.#", CultureInfo.CurrentCulture);

    public string DutyWord(DutyKind kind) => Word(kind);
    public string SectorWord(Sector sector) => Word(sector);
}
