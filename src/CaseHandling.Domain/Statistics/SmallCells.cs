namespace CaseHandling.Domain.Statistics;

/// <summary>How a cell of a published table is shown.</summary>
public enum CellMark
{
    /// <summary>The count itself (0, or 5 and more).</summary>
    Shown,
    /// <summary>Primary suppression: 1 to 4, shown as "&lt;5".</summary>
    Small,
    /// <summary>Complementary suppression: a count of 5 or more, shown as "x", so that no small cell can be worked out.</summary>
    Complementary,
    /// <summary>Never published (e.g. "the rest of the sector"), but derivable from what is: it takes part in the checks.</summary>
    Hidden,
}

/// <summary>
/// All cells of every table a reader can see in one view (and in its CSV), with the additive relations between them:
/// each <see cref="Line"/> says "total = the sum of the parts" (a row or column with its margin, a year and its quarters,
/// a sector and its institutions, the sector as the board's own institution plus the rest). Cells shared between tables
/// (the grand total under every breakdown) are one cell, so a suppression holds in every table that shows it.
/// </summary>
public sealed class CellSystem
{
    private readonly List<long> _values = [];
    private readonly List<bool> _published = [];
    private readonly List<bool> _known = [];
    private readonly List<Line> _lines = [];

    public IReadOnlyList<long> Values => _values;
    public IReadOnlyList<bool> Published => _published;
    /// <summary>
    /// Cells the view's reader knows exactly anyway (a board's own column, also its unpublished cells). Suppression must
    /// hold for two audiences: anyone (who knows only what is shown, e.g. a CSV passed on) and the reader (who also knows
    /// the known cells, so only the small cells that are not known need protecting from them).
    /// </summary>
    public IReadOnlyList<bool> Known => _known;
    public IReadOnlyList<Line> Lines => _lines;

    public int Add(long value, bool published = true, bool known = false)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), "Counts are not negative.");
        _values.Add(value);
        _published.Add(published);
        _known.Add(known);
        return _values.Count - 1;
    }

    /// <summary>Declares total = Σ parts; throws when the numbers do not add up (a bug in the caller, not a reader's problem).</summary>
    public void Line(int total, IReadOnlyList<int> parts)
    {
        if (parts.Sum(p => _values[p]) != _values[total])
            throw new InvalidOperationException($"Cell {total} is not the sum of its parts.");
        _lines.Add(new Line(total, parts));
    }
}

public sealed record Line(int Total, IReadOnlyList<int> Parts)
{
    public IEnumerable<int> Cells => Parts.Append(Total);
}

/// <summary>
/// Small-cell suppression for the monitoring figures (docs/STATISTICS.md).
/// <list type="number">
/// <item>Primary: every count from 1 to 4 is shown as "&lt;5". A 0 is shown as 0: "no case of this kind" says nothing about
/// a person, and hiding zeros would make every "&lt;5" look like a case.</item>
/// <item>Complementary: a line with a total in which exactly one cell is suppressed gives that cell away by subtraction,
/// so a second cell of that line (the smallest count of 5 or more; a part before a total) is shown as "x".</item>
/// <item>Audit: what a reader can deduce is computed by interval propagation over every line, knowing that "&lt;5" is 1–4,
/// "x" is 5 or more, 0 is shown as 0 and a hidden cell is 0 or more. While a small cell (shown or hidden) can be pinned to one
/// value, another cell of one of its lines is suppressed. This also covers chains of subtractions across tables and
/// views (the sector total minus the own institution, a year minus its other quarters) because they are lines of the
/// same system. If that does not settle, every non-zero cell is suppressed. The audit is done for two audiences: anyone
/// (who knows only what is shown) and the view's reader, who also knows the <see cref="CellSystem.Known"/> cells exactly
/// (a board its own institution's counts): a small cell the reader does not know must not be pinned for them either, and
/// its companion is then not a known cell, which would hide nothing from them.</item>
/// </list>
/// Interval propagation is not a full linear-programming audit: a combination of several lines at once could in theory
/// narrow a cell further than any single line does. The line rule (never one suppressed cell alone in a line) and the
/// wide "x" interval keep that from pinning a value in the tables we publish, and the tests check it.
/// </summary>
public static class SmallCells
{
    public const int Threshold = 5;
    private const long Infinity = long.MaxValue / 4;

    public static CellMark[] Suppress(CellSystem system)
    {
        var v = system.Values;
        var marks = v.Select((value, i) => !system.Published[i] ? CellMark.Hidden
            : value is > 0 and < Threshold ? CellMark.Small : CellMark.Shown).ToArray();

        for (var round = 0; round < 10 * (v.Count + 1); round++)
        {
            var changed = false;
            // The line rule: a suppressed published cell never stands alone in a line (a never-published cell does not
            // count as its companion: it may be derivable through other lines, as the rest of a sector is).
            foreach (var line in system.Lines)
            {
                var suppressed = line.Cells.Count(c => marks[c] is CellMark.Small or CellMark.Complementary);
                if (suppressed != 1) continue;
                // No candidate (the others are 0 or never published): the audit below decides whether it is safe.
                if (Complement(line, system, marks, knownToo: true) is not { } c) continue;
                marks[c] = CellMark.Complementary;
                changed = true;
            }
            if (changed) continue;

            // The audit: a small cell that a chain of subtractions still pins down gets another cell of a line beside it.
            // A cell pinned for anyone may take a known cell as its companion; one pinned only for the reader may not (a cell
            // the reader knows exactly hides nothing from them).
            var forAnyone = ExposedTo(system, marks, reader: false);
            var exposed = forAnyone.Concat(ExposedTo(system, marks, reader: true)).ToList();
            if (exposed.Count == 0) return marks;
            var cell = exposed[0];
            var knownToo = forAnyone.Count > 0;
            if (Companion(system, marks, cell, knownToo) is not { } companion) return SuppressAll(system, marks);
            marks[companion] = CellMark.Complementary;
        }
        return SuppressAll(system, marks);
    }

    /// <summary>
    /// The small cells (1–4, published or hidden) whose exact value can be worked out from the published cells and the
    /// lines between them, by anyone or by the view's reader (who also knows the <see cref="CellSystem.Known"/> cells;
    /// only the small cells not known to them count for that audience). Empty when the suppression holds.
    /// </summary>
    public static IReadOnlyList<int> Exposed(CellSystem system, IReadOnlyList<CellMark> marks) =>
        ExposedTo(system, marks, reader: false).Union(ExposedTo(system, marks, reader: true)).Order().ToList();

    private static List<int> ExposedTo(CellSystem system, IReadOnlyList<CellMark> marks, bool reader)
    {
        var bounds = Deduce(system, marks, reader);
        // For the reader, a cell that is no more than its known part (a sector count equal to the board's own, the others
        // having 0) tells them nothing they do not know but a 0, and a 0 is not protected: it is no exposure.
        var knownPart = reader ? Deduce(system, Enumerable.Repeat(CellMark.Hidden, marks.Count).ToArray(), reader: true) : null;
        return Enumerable.Range(0, system.Values.Count)
            .Where(i => system.Values[i] is > 0 and < Threshold && marks[i] != CellMark.Shown && bounds[i].Lo == bounds[i].Hi
                        && !(reader && (system.Known[i] || system.Values[i] == knownPart![i].Lo)))
            .ToList();
    }

    /// <summary>
    /// What is known of each cell: the narrowest interval that follows from the published figures, for anyone, or for the
    /// view's reader (<paramref name="reader"/>), who also knows the <see cref="CellSystem.Known"/> cells exactly.
    /// </summary>
    public static (long Lo, long Hi)[] Deduce(CellSystem system, IReadOnlyList<CellMark> marks, bool reader = false)
    {
        var b = system.Values.Select((value, i) => reader && system.Known[i] ? (Lo: value, Hi: value) : marks[i] switch
        {
            CellMark.Shown => (Lo: value, Hi: value),
            CellMark.Small => (Lo: 1L, Hi: (long)Threshold - 1),
            CellMark.Complementary => (Lo: (long)Threshold, Hi: Infinity),
            CellMark.Hidden => (Lo: 0L, Hi: Infinity),
        }).ToArray();

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var line in system.Lines)
            {
                // total ∈ [Σ lo, Σ hi] of the parts; each part ∈ [total.lo − Σ others' hi, total.hi − Σ others' lo].
                // Sums kept as a finite part and a count of unbounded terms, so each part's "others" is O(1).
                var (sumLo, sumHi, unbounded) = Sums(line, b);
                changed |= Narrow(b, line.Total, sumLo, unbounded > 0 ? Infinity : sumHi);
                foreach (var p in line.Parts)
                {
                    var pUnbounded = b[p].Hi >= Infinity;
                    var othersLo = sumLo - b[p].Lo;
                    var othersHi = unbounded - (pUnbounded ? 1 : 0) > 0 ? Infinity : sumHi - (pUnbounded ? 0 : b[p].Hi);
                    var lo = othersHi >= Infinity ? 0 : b[line.Total].Lo - othersHi;
                    var hi = b[line.Total].Hi >= Infinity ? Infinity : b[line.Total].Hi - othersLo;
                    if (Narrow(b, p, lo, hi))
                    {
                        changed = true;
                        (sumLo, sumHi, unbounded) = Sums(line, b);
                    }
                }
            }
        }
        return b;
    }

    private static (long Lo, long FiniteHi, int Unbounded) Sums(Line line, (long Lo, long Hi)[] b)
    {
        long lo = 0, hi = 0;
        var unbounded = 0;
        foreach (var p in line.Parts)
        {
            lo += b[p].Lo;
            if (b[p].Hi >= Infinity) unbounded++;
            else hi += b[p].Hi;
        }
        return (lo, hi, unbounded);
    }

    private static bool Narrow((long Lo, long Hi)[] b, int cell, long lo, long hi)
    {
        var (oldLo, oldHi) = b[cell];
        var next = (Math.Max(oldLo, lo), Math.Min(oldHi, hi));
        if (next == (oldLo, oldHi)) return false;
        b[cell] = next;
        return true;
    }

    /// <summary>
    /// A cell to suppress so that a pinned cell is no longer pinned: from one of its own lines (the one with the fewest
    /// cells not shown first); when those have none (their other cells are already suppressed, hidden, 0 or known to the
    /// reader), from a line of a cell not shown in them, and so on outward, since the pinning then comes through that cell.
    /// </summary>
    private static int? Companion(CellSystem system, CellMark[] marks, int cell, bool knownToo)
    {
        var seenCells = new HashSet<int> { cell };
        var seenLines = new HashSet<Line>(ReferenceEqualityComparer.Instance);
        var frontier = new List<int> { cell };
        while (frontier.Count > 0)
        {
            var lines = system.Lines.Where(l => !seenLines.Contains(l) && l.Cells.Any(frontier.Contains))
                .OrderBy(l => l.Cells.Count(c => marks[c] != CellMark.Shown)).ToList();
            foreach (var line in lines)
                if (Complement(line, system, marks, knownToo) is { } c) return c;
            seenLines.UnionWith(lines);
            frontier = lines.SelectMany(l => l.Cells).Where(c => marks[c] != CellMark.Shown && seenCells.Add(c)).ToList();
        }
        return null;
    }

    /// <summary>
    /// The cell to suppress beside the others of a line: the smallest published count of 5 or more, a part before the total;
    /// not a cell the reader knows unless <paramref name="knownToo"/> (when it must hide something from anyone).
    /// </summary>
    private static int? Complement(Line line, CellSystem system, CellMark[] marks, bool knownToo) =>
        line.Cells.Where(c => marks[c] == CellMark.Shown && system.Values[c] > 0 && (knownToo || !system.Known[c]))
            .OrderBy(c => system.Values[c]).ThenBy(c => c == line.Total ? 1 : 0).ThenBy(c => c)
            .Select(c => (int?)c).FirstOrDefault();

    private static CellMark[] SuppressAll(CellSystem system, CellMark[] marks)
    {
        for (var i = 0; i < marks.Length; i++)
            if (marks[i] == CellMark.Shown && system.Values[i] > 0) marks[i] = CellMark.Complementary;
        return marks;
    }

    /// <summary>The text of a cell: the count, "&lt;5" or "x".</summary>
    public static string Text(long value, CellMark mark) => mark switch
    {
        CellMark.Shown => value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CellMark.Small => "<" + Threshold,
        CellMark.Complementary => "x",
        CellMark.Hidden => "",
    };
}
