using CaseHandling.Data;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Statistics;
using CaseHandling.Domain.Workflow;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Statistics;

/// <summary>
/// The monitoring figures (docs/STATISTICS.md): cases by quarter of the date the board learned of the matter (Dutch time),
/// by sector and institution (administrator), by incident type, coverage and outcome of the overleg; the working days
/// from the board learning of a matter to the overleg and to the aangifte; the share of duties met late.
/// Made only of what erasure keeps (codes, dates, event kinds and times, duty times), so erasing content does not change
/// them. Every figure a reader sees passes small-cell suppression as one system, so no suppressed count can be worked out
/// from another table or column of the same view.
/// </summary>
public sealed record GetMonitoringFigures : IQuery<Result<MonitoringFigures>>;

/// <summary>Who the figures are for: every institution (administrator), or a board's own institution beside its sector.</summary>
public enum FigureScope { All, Institution }

public enum RowKind { Item, Subtotal, Total }

/// <summary>One published figure: the count when it is shown, and its text ("12", "&lt;5", "x"). A suppressed count is never sent.</summary>
public sealed record Figure(long? Count, string Text);

/// <summary>A row of a table: a category (an enum name, a quarter "2026-Q1", an institution id) with one figure per column.</summary>
public sealed record FigureRow(string Key, string? Name, RowKind Kind, IReadOnlyList<Figure> Cells);

/// <summary>First quartile, median and third quartile in working days; only from 10 cases on.</summary>
public sealed record Quartiles(double Q1, double Median, double Q3);

public sealed record FigureTable(string Id, IReadOnlyList<FigureRow> Rows, IReadOnlyList<Quartiles?>? Quartiles = null);

/// <summary>Duties of one kind met, of which late, and the share late in percent (only when both counts are shown).</summary>
public sealed record LateFigure(Figure Met, Figure Late, double? SharePercent);

public sealed record LateRow(string Key, RowKind Kind, IReadOnlyList<LateFigure> Cells);

/// <summary>
/// The figures of one view. Columns: "all" (administrator), or "own" and "sector" (a board; the sector column is left out
/// while fewer than <see cref="GetMonitoringFiguresHandler.MinOtherInstitutions"/> other institutions of the sector have cases,
/// because the sector minus one's own would then be another single institution).
/// </summary>
public sealed record MonitoringFigures(
    FigureScope Scope, string? InstitutionName, Sector? Sector, bool SectorShown,
    IReadOnlyList<string> Columns, IReadOnlyList<FigureTable> Tables, IReadOnlyList<LateRow> Late);

public sealed class GetMonitoringFiguresHandler(CaseHandlingDbContext db, CurrentUserAccessor current, DutyRules rules)
    : IQueryHandler<GetMonitoringFigures, Result<MonitoringFigures>>
{
    /// <summary>Below this many other institutions with cases, a board does not see its sector's total.</summary>
    public const int MinOtherInstitutions = 2;
    /// <summary>Quartiles need this many cases: with fewer, the lowest or highest values would be single cases.</summary>
    public const int MinCasesForQuartiles = 10;

    public static readonly string[] Buckets = ["0-1", "2-5", "6-10", "11-20", "21+"];
    public static readonly string[] Outcomes = ["ReasonableSuspicion", "SexualHarassment", "NoReasonableSuspicion", "MoreInformationNeeded", "None"];
    public static readonly DutyKind[] ChainDuties =
        [DutyKind.StaffNotification, DutyKind.StartOverleg, DutyKind.ConcludeOverleg, DutyKind.InformParties, DutyKind.Aangifte, DutyKind.NotifyInspectorOfAangifte];

    private static readonly string StartKind = WireName.Of(CaseTrigger.StartOverleg);
    private static readonly string AangifteKind = WireName.Of(CaseTrigger.FileAangifte);
    private static readonly Dictionary<string, string> OutcomeKinds = new()
    {
        [WireName.Of(CaseTrigger.ConcludeReasonableSuspicion)] = "ReasonableSuspicion",
        [WireName.Of(CaseTrigger.ConcludeSexualHarassment)] = "SexualHarassment",
        [WireName.Of(CaseTrigger.ConcludeNoReasonableSuspicion)] = "NoReasonableSuspicion",
        [WireName.Of(CaseTrigger.RequestMoreInformation)] = "MoreInformationNeeded",
    };

    private sealed record Fact(Guid Institution, Sector Sector, DateOnly Learned, IncidentType Type, Coverage Coverage,
        string Outcome, int? OverlegDays, int? AangifteDays);

    private sealed record DutyFact(Guid Institution, DutyKind Kind, bool Late);

    /// <summary>A registered safety incident, in the codes erasure keeps (bill 36 777's register).</summary>
    private sealed record IncidentFact(Guid Institution, Sector Sector, Domain.Incidents.IncidentCategory Category, bool Serious, bool Reported);

    /// <summary>A column of the view; <paramref name="Known"/>: its reader knows every count of it exactly (a board's own institution).</summary>
    private sealed record Column(string Key, Func<Guid, bool> Includes, bool Published, bool Known = false);

    public async ValueTask<Result<MonitoringFigures>> Handle(GetMonitoringFigures q, CancellationToken ct)
    {
        var user = current.Get();
        Institution? own = null;
        if (user.Role == StaffRole.Board)
        {
            own = await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == user.InstitutionId, ct);
            if (own is null) return new Forbidden("A board account without an institution sees no figures.");
        }
        else if (user.Role != StaffRole.Administrator) return new Forbidden("The figures are for a board or the administrator.");

        // A board's view is made of its sector's cases; other institutions' cases only ever count in the sector's total.
        Sector? sectorOnly = own?.Sector;
        var cases = db.Cases.AsNoTracking().Where(c => sectorOnly == null || c.Sector == sectorOnly);
        var rows = await cases.Select(c => new { c.Id, c.InstitutionId, c.Sector, c.BoardLearnedAt, c.IncidentType, c.Coverage }).ToListAsync(ct);
        var eventKinds = OutcomeKinds.Keys.Append(StartKind).Append(AangifteKind).ToList();
        var events = await db.CaseEvents.AsNoTracking()
            .Where(e => eventKinds.Contains(e.Kind) && cases.Any(c => c.Id == e.CaseId))
            .GroupBy(e => new { e.CaseId, e.Kind })
            .Select(g => new { g.Key.CaseId, g.Key.Kind, First = g.Min(e => e.At), Last = g.Max(e => e.At) })
            .ToListAsync(ct);
        var duties = await db.Duties.AsNoTracking()
            .Where(d => d.CaseId != null && d.MetAt != null && ChainDuties.Contains(d.Kind) && cases.Any(c => c.Id == d.CaseId))
            .Select(d => new { d.CaseId, d.Kind, d.DueAt, MetAt = d.MetAt!.Value })
            .ToListAsync(ct);

        // The incident register's counts join the same system of cells, so they are suppressed as one with the cases.
        var incidentFacts = (await db.Incidents.AsNoTracking().Where(i => sectorOnly == null || i.Sector == sectorOnly)
                .Select(i => new { i.InstitutionId, i.Sector, i.Category, i.Serious, Reported = i.ReportRecordedAt != null }).ToListAsync(ct))
            .Select(i => new IncidentFact(i.InstitutionId, i.Sector, i.Category, i.Serious, i.Reported)).ToList();

        var byCase = events.ToLookup(e => e.CaseId);
        var facts = rows.Select(c =>
        {
            var mine = byCase[c.Id].ToList();
            var learned = DutchTime.LocalDate(c.BoardLearnedAt);
            // The outcome is the last conclusion of the overleg (more information first, then a conclusion, is that conclusion).
            var outcome = mine.Where(e => OutcomeKinds.ContainsKey(e.Kind)).OrderBy(e => e.Last).Select(e => OutcomeKinds[e.Kind]).LastOrDefault() ?? "None";
            int? Days(string kind) => mine.FirstOrDefault(e => e.Kind == kind) is { } e ? WorkingDaysBetween(learned, DutchTime.LocalDate(e.First)) : null;
            return new Fact(c.InstitutionId, c.Sector, learned, c.IncidentType, c.Coverage, outcome, Days(StartKind), Days(AangifteKind));
        }).ToList();
        var institutionOf = rows.ToDictionary(c => c.Id, c => c.InstitutionId);
        var dutyFacts = duties.Select(d => new DutyFact(institutionOf[d.CaseId!.Value], d.Kind, d.MetAt > d.DueAt)).ToList();

        List<Column> columns;
        var sectorShown = false;
        if (own is null) columns = [new Column("all", _ => true, true)];
        else
        {
            var others = facts.Select(f => f.Institution).Where(i => i != own.Id).Distinct().Count();
            // The register's figures share the columns: one other school with incidents would make sector minus own that school's.
            var otherRegisters = incidentFacts.Select(i => i.Institution).Where(i => i != own.Id).Distinct().Count();
            sectorShown = others >= MinOtherInstitutions && otherRegisters is 0 or >= MinOtherInstitutions;
            columns = sectorShown
                ? [new Column("own", i => i == own.Id, true, Known: true), new Column("rest", i => i != own.Id, false), new Column("sector", _ => true, true)]
                : [new Column("own", i => i == own.Id, true, Known: true)];
        }

        var institutions = own is null
            ? await db.Institutions.AsNoTracking().OrderBy(i => i.Sector).ThenBy(i => i.Name).Select(i => new { i.Id, i.Name, i.Sector }).ToListAsync(ct)
            : [];

        var b = new Builder(columns, own is not null && sectorShown);
        var f = facts;
        var grand = b.Cell("cases", x => f.Count(y => x(y.Institution)));

        // By quarter, with the year totals: a year is the sum of its quarters in the same system (no quarter from year − others).
        var quarterRows = new List<(string Key, RowKind Kind)>();
        var years = f.Select(x => x.Learned.Year).Distinct().Order().ToList();
        var yearCells = new List<int[]>();
        foreach (var year in years)
        {
            var qs = new List<int[]>();
            for (var quarter = 1; quarter <= 4; quarter++)
            {
                var key = $"{year}-Q{quarter}";
                var qq = quarter;
                qs.Add(b.Cell("quarter:" + key, x => f.Count(y => x(y.Institution) && y.Learned.Year == year && (y.Learned.Month + 2) / 3 == qq)));
                quarterRows.Add((key, RowKind.Item));
            }
            var yc = b.Cell("year:" + year, x => f.Count(y => x(y.Institution) && y.Learned.Year == year));
            b.Sum(yc, qs);
            yearCells.Add(yc);
            quarterRows.Add((year.ToString(System.Globalization.CultureInfo.InvariantCulture), RowKind.Subtotal));
        }
        b.Sum(grand, yearCells);

        var sectorRows = new List<(string Key, string? Name, RowKind Kind)>();
        var institutionRows = new List<(string Key, string? Name, RowKind Kind)>();
        if (own is null)
        {
            // Counted once, not once per institution (an administrator's view has every institution as a row).
            var perInstitution = f.GroupBy(y => y.Institution).ToDictionary(g => g.Key, g => g.Count());
            var sectorCells = new List<int[]>();
            foreach (var sector in Enum.GetValues<Sector>())
            {
                var sc = b.Cell("sector:" + sector, x => f.Count(y => x(y.Institution) && y.Sector == sector));
                var ic = new List<int[]>();
                foreach (var inst in institutions.Where(i => i.Sector == sector))
                {
                    ic.Add(b.Cell("institution:" + inst.Id, x => x(inst.Id) ? perInstitution.GetValueOrDefault(inst.Id) : 0));
                    institutionRows.Add(("institution:" + inst.Id, inst.Name, RowKind.Item));
                }
                // Cases whose sector is not their institution's current one would break the sum; none are made so.
                if (ic.Count > 0 && ic.Sum(c => b.Value(c[0])) == b.Value(sc[0])) b.Sum(sc, ic);
                institutionRows.Add(("sector:" + sector, null, RowKind.Subtotal));
                sectorCells.Add(sc);
                sectorRows.Add(("sector:" + sector, null, RowKind.Item));
            }
            b.Sum(grand, sectorCells);
        }

        List<(string Key, string? Name, RowKind Kind)> Breakdown<T>(string prefix, IEnumerable<T> values, Func<Fact, T> of) where T : notnull
        {
            var list = values.ToList();
            var parts = list.Select(v => b.Cell($"{prefix}:{v}", x => f.Count(y => x(y.Institution) && EqualityComparer<T>.Default.Equals(of(y), v)))).ToList();
            b.Sum(grand, parts);
            return list.Select(v => ($"{prefix}:{v}", (string?)null, RowKind.Item)).ToList();
        }
        var typeRows = Breakdown("type", Enum.GetValues<IncidentType>(), y => y.Type);
        var coverageRows = Breakdown("coverage", Enum.GetValues<Coverage>(), y => y.Coverage);
        var outcomeRows = Breakdown("outcome", Outcomes, y => y.Outcome);

        List<(string Key, string? Name, RowKind Kind)> Times(string prefix, Func<Fact, int?> days)
        {
            var n = b.Cell(prefix + ":n", x => f.Count(y => x(y.Institution) && days(y) is not null));
            var parts = Buckets.Select((bucket, i) => b.Cell($"{prefix}:{bucket}", x => f.Count(y => x(y.Institution) && days(y) is { } d && Bucket(d) == i))).ToList();
            b.Sum(n, parts);
            return [.. Buckets.Select(k => ($"{prefix}:{k}", (string?)null, RowKind.Item)), ($"{prefix}:n", null, RowKind.Total)];
        }
        var overlegRows = Times("overleg", y => y.OverlegDays);
        var aangifteRows = Times("aangifte", y => y.AangifteDays);

        // Duties met, of which late; the on-time rest is derivable, so it takes part in the checks without being published.
        var d = dutyFacts;
        var metCells = new List<int[]>();
        var lateCells = new List<int[]>();
        var onTimeCells = new List<int[]>();
        foreach (var kind in ChainDuties)
        {
            var met = b.Cell($"met:{kind}", x => d.Count(y => x(y.Institution) && y.Kind == kind));
            var late = b.Cell($"late:{kind}", x => d.Count(y => x(y.Institution) && y.Kind == kind && y.Late));
            var onTime = b.Cell($"ontime:{kind}", x => d.Count(y => x(y.Institution) && y.Kind == kind && !y.Late), published: false);
            b.Sum(met, [late, onTime]);
            metCells.Add(met); lateCells.Add(late); onTimeCells.Add(onTime);
        }
        var metAll = b.Cell("met", x => d.Count(y => x(y.Institution)));
        var lateAll = b.Cell("late", x => d.Count(y => x(y.Institution) && y.Late));
        var onTimeAll = b.Cell("ontime", x => d.Count(y => x(y.Institution) && !y.Late), published: false);
        b.Sum(metAll, metCells); b.Sum(lateAll, lateCells); b.Sum(onTimeAll, onTimeCells); b.Sum(metAll, [lateAll, onTimeAll]);

        // The incident register: by category, by sector (administrator), serious or not, reported or not; each a line over the total.
        var inc = incidentFacts;
        var incidentsTotal = b.Cell("incidents", x => inc.Count(y => x(y.Institution)));
        List<(string Key, string? Name, RowKind Kind)> IncidentBreakdown<T>(string prefix, IEnumerable<T> values, Func<IncidentFact, T> of) where T : notnull
        {
            var list = values.ToList();
            var parts = list.Select(v => b.Cell($"{prefix}:{v}", x => inc.Count(y => x(y.Institution) && EqualityComparer<T>.Default.Equals(of(y), v)))).ToList();
            b.Sum(incidentsTotal, parts);
            return list.Select(v => ($"{prefix}:{v}", (string?)null, RowKind.Item)).ToList();
        }
        var incidentCategoryRows = IncidentBreakdown("icat", Enum.GetValues<Domain.Incidents.IncidentCategory>(), y => y.Category);
        var incidentSectorRows = own is null
            ? IncidentBreakdown("isector", Domain.Incidents.IncidentRules.Sectors.Select(r => r.Sector), y => y.Sector) : [];
        var incidentSeriousRows = IncidentBreakdown("iserious", ["Yes", "No"], y => y.Serious ? "Yes" : "No");
        var incidentReportedRows = IncidentBreakdown("ireported", ["Yes", "No"], y => y.Reported ? "Yes" : "No");

        var marks = SmallCells.Suppress(b.System);

        var published = columns.Select((c, i) => (c, i)).Where(x => x.c.Published).Select(x => x.i).ToList();
        Figure Show(int cell) => marks[cell] == CellMark.Shown ? new Figure(b.Value(cell), SmallCells.Text(b.Value(cell), marks[cell])) : new Figure(null, SmallCells.Text(b.Value(cell), marks[cell]));
        FigureRow Row(string key, string? name, RowKind kind) => new(key, name, kind, published.Select(c => Show(b.Cells[key][c])).ToList());
        FigureTable Table(string id, IEnumerable<(string Key, string? Name, RowKind Kind)> items, bool withTotal = true, IReadOnlyList<Quartiles?>? quartiles = null,
            string total = "cases") =>
            new(id, [.. items.Select(r => Row(r.Key, r.Name, r.Kind)), .. withTotal ? [Row(total, null, RowKind.Total)] : Array.Empty<FigureRow>()], quartiles);

        IReadOnlyList<Quartiles?> QuartilesOf(string prefix, Func<Fact, int?> days) => published.Select(c =>
        {
            var values = f.Where(y => columns[c].Includes(y.Institution)).Select(days).OfType<int>().Order().ToList();
            return values.Count >= MinCasesForQuartiles && marks[b.Cells[prefix + ":n"][c]] == CellMark.Shown
                ? new Quartiles(Percentile(values, 0.25), Percentile(values, 0.5), Percentile(values, 0.75)) : null;
        }).ToList();

        var tables = new List<FigureTable> { Table("quarter", quarterRows.Select(r => (r.Key.Length == 4 ? "year:" + r.Key : "quarter:" + r.Key, (string?)null, r.Kind))) };
        if (own is null)
        {
            tables.Add(Table("sector", sectorRows));
            tables.Add(Table("institution", institutionRows));
        }
        tables.Add(Table("type", typeRows));
        tables.Add(Table("coverage", coverageRows));
        tables.Add(Table("outcome", outcomeRows));
        tables.Add(Table("overleg", overlegRows, withTotal: false, QuartilesOf("overleg", y => y.OverlegDays)));
        tables.Add(Table("aangifte", aangifteRows, withTotal: false, QuartilesOf("aangifte", y => y.AangifteDays)));
        tables.Add(Table("incident-category", incidentCategoryRows, total: "incidents"));
        if (own is null) tables.Add(Table("incident-sector", incidentSectorRows, total: "incidents"));
        tables.Add(Table("incident-serious", incidentSeriousRows, total: "incidents"));
        tables.Add(Table("incident-reported", incidentReportedRows, total: "incidents"));

        LateRow Late(string key, string metKey, string lateKey, RowKind kind) => new(key, kind, published.Select(c =>
        {
            var met = Show(b.Cells[metKey][c]);
            var late = Show(b.Cells[lateKey][c]);
            // A share is only shown from counts that are shown themselves (else share × met would give a suppressed count).
            double? share = met.Count is long m && m > 0 && late.Count is long l ? Math.Round(100.0 * l / m, 1) : null;
            return new LateFigure(met, late, share);
        }).ToList());
        var lateRows = ChainDuties.Select(k => Late(k.ToString(), $"met:{k}", $"late:{k}", RowKind.Item)).Append(Late("all", "met", "late", RowKind.Total)).ToList();

        return new MonitoringFigures(own is null ? FigureScope.All : FigureScope.Institution, own?.Name, own?.Sector, sectorShown,
            published.Select(c => columns[c].Key).ToList(), tables, lateRows);
    }

    /// <summary>Working days after the day the board learned of the matter, up to and including the day of the step.</summary>
    private int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var days = 0;
        for (var day = from.AddDays(1); day <= to && days < 10_000; day = day.AddDays(1))
            if (rules.Calendar.IsWorkingDay(day)) days++;
        return days;
    }

    public static int Bucket(int days) => days switch { <= 1 => 0, <= 5 => 1, <= 10 => 2, <= 20 => 3, _ => 4 };

    private static double Percentile(IReadOnlyList<int> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return Math.Round(sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo), 1);
    }

    /// <summary>
    /// The cells of one view, one per (figure, column). For a board with its sector, every figure is a line
    /// "sector = own + rest", the rest never published, so that the checks see what subtracting the two columns gives.
    /// </summary>
    private sealed class Builder(IReadOnlyList<Column> columns, bool sectorLines)
    {
        public CellSystem System { get; } = new();
        public Dictionary<string, int[]> Cells { get; } = new();

        public long Value(int cell) => System.Values[cell];

        public int[] Cell(string key, Func<Func<Guid, bool>, int> count, bool published = true)
        {
            var cells = columns.Select(c => System.Add(count(c.Includes), published && c.Published, c.Known)).ToArray();
            if (sectorLines) System.Line(cells[2], [cells[0], cells[1]]);
            Cells[key] = cells;
            return cells;
        }

        public void Sum(int[] total, IReadOnlyList<int[]> parts)
        {
            for (var c = 0; c < columns.Count; c++) System.Line(total[c], parts.Select(p => p[c]).ToList());
        }
    }
}
