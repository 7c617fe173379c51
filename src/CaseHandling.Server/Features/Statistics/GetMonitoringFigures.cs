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
using Npgsql;

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

    private static readonly Dictionary<string, string> OutcomeKinds = new()
    {
        [WireName.Of(CaseTrigger.ConcludeReasonableSuspicion)] = "ReasonableSuspicion",
        [WireName.Of(CaseTrigger.ConcludeSexualHarassment)] = "SexualHarassment",
        [WireName.Of(CaseTrigger.ConcludeNoReasonableSuspicion)] = "NoReasonableSuspicion",
        [WireName.Of(CaseTrigger.RequestMoreInformation)] = "MoreInformationNeeded",
    };

    /// <summary>
    /// A count of one breakdown for one institution, as PostgreSQL returns it: the figures are counted where the cases are,
    /// so a view of a million cases reads some thousands of rows, not the cases themselves (docs/PERFORMANCE.md).
    /// </summary>
    private sealed record Group(Guid Institution, string? Key, int? Number, int Count);

    private enum Set { Sector, Quarter, Type, Coverage, Outcome, Overleg, Aangifte, Duty }

    /// <summary>A registered safety incident, in the codes erasure keeps (bill 36 777's register), with how many there are.</summary>
    private sealed record IncidentFact(Guid Institution, Sector Sector, Domain.Incidents.IncidentCategory Category, bool Serious, bool Reported, int Count)
        : ICountedFact;

    /// <summary>A count of like facts at one institution: what a breakdown of the register or of the answers adds up.</summary>
    private interface ICountedFact
    {
        Guid Institution { get; }
        int Count { get; }
    }

    /// <summary>A reporter's answers on how the meldpunt handled their report (RateHandling), with how many gave the same.</summary>
    private sealed record RatingFact(Guid Institution, Sector Sector, int Seriously, int Informed, int Again, int Quarter, int Count) : ICountedFact;

    /// <summary>A column of the view; <paramref name="Known"/>: its reader knows every count of it exactly (a board's own institution).</summary>
    private sealed record Column(string Key, Func<Guid, bool> Includes, bool Published, bool Known = false);

    /// <summary>Working days are counted after the day the board learned of a matter, up to the day of the step, capped as before.</summary>
    private const int MaxWorkingDays = 10_000;

    /// <summary>The span of the view's dates in Dutch time: the first day the board learned of a case, and the last day of any step.</summary>
    private const string SpanSql = """
        SELECT (min(board_learned_at) AT TIME ZONE 'Europe/Amsterdam')::date,
               (greatest(max(board_learned_at), max(overleg_started_at), max(aangifte_filed_at)) AT TIME ZONE 'Europe/Amsterdam')::date
        FROM cases WHERE {0}
        """;

    /// <summary>
    /// Per case, from its own row: the date the board learned of it (Dutch time), the first start of the overleg, the first
    /// aangifte and the last conclusion (Case.OverlegStartedAt, AangifteFiledAt, LastConclusion, kept beside the timeline);
    /// the working days between those dates from <see cref="WorkingDayIndex"/> ($1, from day $2 on). The cases are first
    /// counted by all of these at once (a parallel scan), then each breakdown per institution (grouping sets); and the
    /// duties met, of which late. One statement, so every figure of the view is of one snapshot.
    /// {0}: the filter on the board's sector, or none for the administrator; {1} the same for the duties.
    /// </summary>
    /// <remarks>
    /// GROUPING(...) has a bit per column, the first the highest, set for the columns not in the row's grouping set:
    /// 63 (0111111) is the set with the sector, 95 the quarter, 111 the type, 119 the coverage, 123 the outcome, 125 the
    /// overleg and 126 the aangifte, numbered as <see cref="Set"/>.
    /// </remarks>
    private const string FiguresSql = """
        SELECT CASE GROUPING(sector, quarter, incident_type, coverage, outcome, overleg, aangifte)
                   WHEN 63 THEN 0 WHEN 95 THEN 1 WHEN 111 THEN 2 WHEN 119 THEN 3 WHEN 123 THEN 4 WHEN 125 THEN 5 ELSE 6 END,
               institution_id, COALESCE(sector, incident_type, coverage, outcome), COALESCE(quarter, overleg, aangifte), sum(n)::int
        FROM (
            SELECT institution_id, sector, incident_type, coverage, outcome,
                   extract(year FROM learned)::int * 10 + extract(quarter FROM learned)::int AS quarter,
                   CASE WHEN started IS NOT NULL THEN least(greatest($1[started - $2 + 1] - $1[learned - $2 + 1], 0), $3)::int END AS overleg,
                   CASE WHEN filed IS NOT NULL THEN least(greatest($1[filed - $2 + 1] - $1[learned - $2 + 1], 0), $3)::int END AS aangifte,
                   count(*) AS n
            FROM (SELECT institution_id, sector, incident_type, coverage, last_conclusion AS outcome,
                         (board_learned_at AT TIME ZONE 'Europe/Amsterdam')::date AS learned,
                         (overleg_started_at AT TIME ZONE 'Europe/Amsterdam')::date AS started,
                         (aangifte_filed_at AT TIME ZONE 'Europe/Amsterdam')::date AS filed
                  FROM cases WHERE {0}) c
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ) g
        GROUP BY GROUPING SETS ((institution_id, sector), (institution_id, quarter), (institution_id, incident_type),
            (institution_id, coverage), (institution_id, outcome), (institution_id, overleg), (institution_id, aangifte))
        UNION ALL SELECT 7, d.institution_id, d.kind, (d.met_at > d.due_at)::int, count(*)::int
            FROM duties d
            WHERE d.case_id IS NOT NULL AND d.met_at IS NOT NULL AND d.kind = ANY($4) AND {1}
            GROUP BY d.institution_id, d.kind, (d.met_at > d.due_at)
        """;

    /// <summary>
    /// The reporters' answers on the meldpunt's handling (RateHandling), counted per institution, answers and quarter of
    /// answering (Dutch time): codes and a time, which erasure keeps. {0}: the filter on the board's sector, or none.
    /// </summary>
    private const string RatingsSql = """
        SELECT r.institution_id, i.sector, r.rating_taken_seriously, r.rating_kept_informed, r.rating_would_report_again,
               extract(year FROM r.rated_at AT TIME ZONE 'Europe/Amsterdam')::int * 10
                 + extract(quarter FROM r.rated_at AT TIME ZONE 'Europe/Amsterdam')::int,
               count(*)::int
        FROM reports r JOIN institutions i ON i.id = r.institution_id
        WHERE r.rated_at IS NOT NULL AND {0}
        GROUP BY 1, 2, 3, 4, 5, 6
        """;

    /// <summary>The working memory of the figures' statement: enough to hash a million cases' facts, not sort them on disk.</summary>
    private const string WorkMem = "64MB";

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
        var sets = Enum.GetValues<Set>().ToDictionary(s => s, _ => new List<Group>());
        var ratingFacts = new List<RatingFact>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            var filter = sectorOnly is null ? "true" : "sector = $5";
            DateOnly? first = null, last = null;
            await using (var span = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, SpanSql,
                             sectorOnly is null ? "true" : "sector = $1"), conn))
            {
                if (sectorOnly is { } only) span.Parameters.Add(new() { Value = only.ToString() });
                await using var r = await span.ExecuteReaderAsync(ct);
                if (await r.ReadAsync(ct) && !r.IsDBNull(0)) (first, last) = (r.GetFieldValue<DateOnly>(0), r.GetFieldValue<DateOnly>(1));
            }
            // One batch is one implicit transaction: the working memory set for it (is_local) ends with it, on a pooled
            // connection that is not reset between uses.
            var figures = new NpgsqlBatchCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, FiguresSql, filter,
                // A case's duties carry its institution, so the administrator's count of them needs no join with the cases.
                sectorOnly is null ? "true" : "d.institution_id IN (SELECT id FROM institutions WHERE sector = $5)"))
            {
                Parameters =
                {
                    new() { Value = first is { } from ? WorkingDayIndex(rules.Calendar, from, last!.Value) : Array.Empty<int>() },
                    new() { Value = first ?? DateOnly.MinValue },
                    new() { Value = MaxWorkingDays },
                    new() { Value = ChainDuties.Select(k => k.ToString()).ToArray() },
                },
            };
            var answers = new NpgsqlBatchCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, RatingsSql,
                sectorOnly is null ? "true" : "i.sector = $1"));
            if (sectorOnly is { } sector)
            {
                figures.Parameters.Add(new() { Value = sector.ToString() });
                answers.Parameters.Add(new() { Value = sector.ToString() });
            }
            await using var batch = new NpgsqlBatch(conn)
            {
                BatchCommands = { new NpgsqlBatchCommand($"SELECT set_config('work_mem', '{WorkMem}', true)"), figures, answers },
            };
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                sets[(Set)reader.GetInt32(0)].Add(new Group(reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.GetInt32(4)));
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                ratingFacts.Add(new RatingFact(reader.GetGuid(0), Enum.Parse<Sector>(reader.GetString(1)), reader.GetInt32(2), reader.GetInt32(3),
                    reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
        }
        finally { await db.Database.CloseConnectionAsync(); }

        // The incident register's counts join the same system of cells, so they are suppressed as one with the cases.
        var incidentFacts = (await db.Incidents.AsNoTracking().Where(i => sectorOnly == null || i.Sector == sectorOnly)
                .GroupBy(i => new { i.InstitutionId, i.Sector, i.Category, i.Serious, Reported = i.ReportRecordedAt != null })
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .Select(i => new IncidentFact(i.Key.InstitutionId, i.Key.Sector, i.Key.Category, i.Key.Serious, i.Key.Reported, i.Count)).ToList();

        List<Column> columns;
        var sectorShown = false;
        if (own is null) columns = [new Column("all", _ => true, true)];
        else
        {
            var others = sets[Set.Sector].Select(g => g.Institution).Where(i => i != own.Id).Distinct().Count();
            // The register's figures share the columns: one other school with incidents would make sector minus own that school's.
            var otherRegisters = incidentFacts.Select(i => i.Institution).Where(i => i != own.Id).Distinct().Count();
            var otherRated = ratingFacts.Select(r => r.Institution).Where(i => i != own.Id).Distinct().Count();
            sectorShown = others >= MinOtherInstitutions && otherRegisters is 0 or >= MinOtherInstitutions && otherRated is 0 or >= MinOtherInstitutions;
            columns = sectorShown
                ? [new Column("own", i => i == own.Id, true, Known: true), new Column("rest", i => i != own.Id, false), new Column("sector", _ => true, true)]
                : [new Column("own", i => i == own.Id, true, Known: true)];
        }

        var institutions = own is null
            ? await db.Institutions.AsNoTracking().OrderBy(i => i.Sector).ThenBy(i => i.Name).Select(i => new { i.Id, i.Name, i.Sector }).ToListAsync(ct)
            : [];

        var b = new Builder(columns, own is not null && sectorShown);
        // The count of one breakdown's groups that a column includes and that match.
        int Count(Set set, Func<Guid, bool> x, Func<Group, bool> match) => sets[set].Where(g => x(g.Institution) && match(g)).Sum(g => g.Count);
        var grand = b.Cell("cases", x => Count(Set.Sector, x, _ => true));

        // By quarter, with the year totals: a year is the sum of its quarters in the same system (no quarter from year − others).
        var quarterRows = new List<(string Key, RowKind Kind)>();
        var years = sets[Set.Quarter].Select(g => g.Number!.Value / 10).Distinct().Order().ToList();
        var yearCells = new List<int[]>();
        foreach (var year in years)
        {
            var qs = new List<int[]>();
            for (var quarter = 1; quarter <= 4; quarter++)
            {
                var key = $"{year}-Q{quarter}";
                var qq = quarter;
                qs.Add(b.Cell("quarter:" + key, x => Count(Set.Quarter, x, g => g.Number == year * 10 + qq)));
                quarterRows.Add((key, RowKind.Item));
            }
            var yc = b.Cell("year:" + year, x => Count(Set.Quarter, x, g => g.Number / 10 == year));
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
            var perInstitution = sets[Set.Sector].GroupBy(g => g.Institution).ToDictionary(g => g.Key, g => g.Sum(y => y.Count));
            var sectorCells = new List<int[]>();
            foreach (var sector in Enum.GetValues<Sector>())
            {
                var name = sector.ToString();
                var sc = b.Cell("sector:" + sector, x => Count(Set.Sector, x, g => g.Key == name));
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

        List<(string Key, string? Name, RowKind Kind)> Breakdown(string prefix, Set set, IEnumerable<string> values, Func<string?, string> of)
        {
            var list = values.ToList();
            var parts = list.Select(v => b.Cell($"{prefix}:{v}", x => Count(set, x, g => of(g.Key) == v))).ToList();
            b.Sum(grand, parts);
            return list.Select(v => ($"{prefix}:{v}", (string?)null, RowKind.Item)).ToList();
        }
        var typeRows = Breakdown("type", Set.Type, Enum.GetNames<IncidentType>(), k => k ?? "");
        var coverageRows = Breakdown("coverage", Set.Coverage, Enum.GetNames<Coverage>(), k => k ?? "");
        var outcomeRows = Breakdown("outcome", Set.Outcome, Outcomes, k => k is not null && OutcomeKinds.TryGetValue(k, out var o) ? o : "None");

        List<(string Key, string? Name, RowKind Kind)> Times(string prefix, Set set)
        {
            var n = b.Cell(prefix + ":n", x => Count(set, x, g => g.Number is not null));
            var parts = Buckets.Select((bucket, i) => b.Cell($"{prefix}:{bucket}", x => Count(set, x, g => g.Number is { } d && Bucket(d) == i))).ToList();
            b.Sum(n, parts);
            return [.. Buckets.Select(k => ($"{prefix}:{k}", (string?)null, RowKind.Item)), ($"{prefix}:n", null, RowKind.Total)];
        }
        var overlegRows = Times("overleg", Set.Overleg);
        var aangifteRows = Times("aangifte", Set.Aangifte);

        // Duties met, of which late; the on-time rest is derivable, so it takes part in the checks without being published.
        var metCells = new List<int[]>();
        var lateCells = new List<int[]>();
        var onTimeCells = new List<int[]>();
        foreach (var kind in ChainDuties)
        {
            var name = kind.ToString();
            var met = b.Cell($"met:{kind}", x => Count(Set.Duty, x, g => g.Key == name));
            var late = b.Cell($"late:{kind}", x => Count(Set.Duty, x, g => g.Key == name && g.Number == 1));
            var onTime = b.Cell($"ontime:{kind}", x => Count(Set.Duty, x, g => g.Key == name && g.Number == 0), published: false);
            b.Sum(met, [late, onTime]);
            metCells.Add(met); lateCells.Add(late); onTimeCells.Add(onTime);
        }
        var metAll = b.Cell("met", x => Count(Set.Duty, x, _ => true));
        var lateAll = b.Cell("late", x => Count(Set.Duty, x, g => g.Number == 1));
        var onTimeAll = b.Cell("ontime", x => Count(Set.Duty, x, g => g.Number == 0), published: false);
        b.Sum(metAll, metCells); b.Sum(lateAll, lateCells); b.Sum(onTimeAll, onTimeCells); b.Sum(metAll, [lateAll, onTimeAll]);

        // A breakdown of a set of counted facts (the register's incidents, the reporters' answers): a cell per value, each a
        // line over the set's own total, in the same system as the cases.
        List<(string Key, string? Name, RowKind Kind)> FactBreakdown<TFact, T>(int[] total, IReadOnlyList<TFact> facts, string prefix, IEnumerable<T> values,
            Func<TFact, T> of) where TFact : ICountedFact where T : notnull
        {
            var list = values.ToList();
            var parts = list.Select(v => b.Cell($"{prefix}:{v}", x => facts.Where(y => x(y.Institution) && EqualityComparer<T>.Default.Equals(of(y), v)).Sum(y => y.Count))).ToList();
            b.Sum(total, parts);
            return list.Select(v => ($"{prefix}:{v}", (string?)null, RowKind.Item)).ToList();
        }
        int[] TotalOf<TFact>(string key, IReadOnlyList<TFact> facts) where TFact : ICountedFact => b.Cell(key, x => facts.Where(y => x(y.Institution)).Sum(y => y.Count));

        // The incident register: by category, by sector (administrator), serious or not, reported or not.
        var incidents = TotalOf("incidents", incidentFacts);
        var incidentCategoryRows = FactBreakdown(incidents, incidentFacts, "icat", Enum.GetValues<Domain.Incidents.IncidentCategory>(), y => y.Category);
        var incidentSectorRows = own is null
            ? FactBreakdown(incidents, incidentFacts, "isector", Domain.Incidents.IncidentRules.Sectors.Select(r => r.Sector), y => y.Sector) : [];
        var incidentSeriousRows = FactBreakdown(incidents, incidentFacts, "iserious", ["Yes", "No"], y => y.Serious ? "Yes" : "No");
        var incidentReportedRows = FactBreakdown(incidents, incidentFacts, "ireported", ["Yes", "No"], y => y.Reported ? "Yes" : "No");

        // The reporters' answers: per question the scores 1 to 5, per quarter and (administrator) per sector.
        var ratings = TotalOf("ratings", ratingFacts);
        int[] scores = [1, 2, 3, 4, 5];
        var ratingSeriouslyRows = FactBreakdown(ratings, ratingFacts, "rs", scores, y => y.Seriously);
        var ratingInformedRows = FactBreakdown(ratings, ratingFacts, "ri", scores, y => y.Informed);
        var ratingAgainRows = FactBreakdown(ratings, ratingFacts, "ra", scores, y => y.Again);
        string QuarterKey(int quarter) => $"{quarter / 10}-Q{quarter % 10}";
        var ratingQuarterRows = FactBreakdown(ratings, ratingFacts, "rq", ratingFacts.Select(y => y.Quarter).Distinct().Order().Select(QuarterKey), y => QuarterKey(y.Quarter));
        var ratingSectorRows = own is null ? FactBreakdown(ratings, ratingFacts, "rsector", Enum.GetValues<Sector>(), y => y.Sector) : [];

        var marks = SmallCells.Suppress(b.System);

        var published = columns.Select((c, i) => (c, i)).Where(x => x.c.Published).Select(x => x.i).ToList();
        Figure Show(int cell) => marks[cell] == CellMark.Shown ? new Figure(b.Value(cell), SmallCells.Text(b.Value(cell), marks[cell])) : new Figure(null, SmallCells.Text(b.Value(cell), marks[cell]));
        FigureRow Row(string key, string? name, RowKind kind) => new(key, name, kind, published.Select(c => Show(b.Cells[key][c])).ToList());
        FigureTable Table(string id, IEnumerable<(string Key, string? Name, RowKind Kind)> items, bool withTotal = true, IReadOnlyList<Quartiles?>? quartiles = null,
            string total = "cases") =>
            new(id, [.. items.Select(r => Row(r.Key, r.Name, r.Kind)), .. withTotal ? [Row(total, null, RowKind.Total)] : Array.Empty<FigureRow>()], quartiles);

        IReadOnlyList<Quartiles?> QuartilesOf(string prefix, Set set) => published.Select(c =>
        {
            // Each number of working days with how many cases took it, in order: the quartiles of the cases themselves.
            var values = sets[set].Where(g => g.Number is not null && columns[c].Includes(g.Institution))
                .GroupBy(g => g.Number!.Value).Select(g => (Days: g.Key, Count: g.Sum(y => y.Count))).OrderBy(v => v.Days).ToList();
            var n = values.Sum(v => v.Count);
            return n >= MinCasesForQuartiles && marks[b.Cells[prefix + ":n"][c]] == CellMark.Shown
                ? new Quartiles(Percentile(values, n, 0.25), Percentile(values, n, 0.5), Percentile(values, n, 0.75)) : null;
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
        tables.Add(Table("overleg", overlegRows, withTotal: false, QuartilesOf("overleg", Set.Overleg)));
        tables.Add(Table("aangifte", aangifteRows, withTotal: false, QuartilesOf("aangifte", Set.Aangifte)));
        tables.Add(Table("incident-category", incidentCategoryRows, total: "incidents"));
        if (own is null) tables.Add(Table("incident-sector", incidentSectorRows, total: "incidents"));
        tables.Add(Table("incident-serious", incidentSeriousRows, total: "incidents"));
        tables.Add(Table("incident-reported", incidentReportedRows, total: "incidents"));
        tables.Add(Table("rating-seriously", ratingSeriouslyRows, total: "ratings"));
        tables.Add(Table("rating-informed", ratingInformedRows, total: "ratings"));
        tables.Add(Table("rating-again", ratingAgainRows, total: "ratings"));
        tables.Add(Table("rating-quarter", ratingQuarterRows, total: "ratings"));
        if (own is null) tables.Add(Table("rating-sector", ratingSectorRows, total: "ratings"));

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

    /// <summary>
    /// For each day from <paramref name="first"/> to <paramref name="last"/>, the working days (Atw: no weekend, no holiday of
    /// <paramref name="calendar"/>, decreed and the administrator's own included) after <paramref name="first"/> up to that day:
    /// the working days between two dates of the span are the difference of their entries, counted as a deadline is.
    /// </summary>
    public static int[] WorkingDayIndex(WorkingDayCalendar calendar, DateOnly first, DateOnly last)
    {
        var index = new int[last.DayNumber - first.DayNumber + 1];
        for (var n = 1; n < index.Length; n++)
            index[n] = index[n - 1] + (calendar.IsWorkingDay(first.AddDays(n)) ? 1 : 0);
        return index;
    }

    public static int Bucket(int days) => days switch { <= 1 => 0, <= 5 => 1, <= 10 => 2, <= 20 => 3, _ => 4 };

    /// <summary>The percentile of <paramref name="n"/> sorted values given as (value, how often), interpolated between neighbours.</summary>
    private static double Percentile(IReadOnlyList<(int Days, int Count)> sorted, int n, double p)
    {
        var rank = p * (n - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        int At(int index)
        {
            foreach (var (days, count) in sorted)
            {
                if (index < count) return days;
                index -= count;
            }
            return sorted[^1].Days;
        }
        return Math.Round(At(lo) + (At(hi) - At(lo)) * (rank - lo), 1);
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
