using CaseHandling.Domain.Statistics;

namespace CaseHandling.Domain.Tests.Statistics;

/// <summary>Small-cell suppression (docs/STATISTICS.md): no count from 1 to 4 can be read or worked out from what is published.</summary>
public sealed class SmallCellsTests
{
    /// <summary>A table with margins: cells[r][c], row totals, column totals and the grand total, all published.</summary>
    private sealed class Grid
    {
        public CellSystem System { get; } = new();
        public int[][] Cells { get; }
        public int[] RowTotals { get; }
        public int[] ColumnTotals { get; }
        public int Grand { get; }

        public Grid(long[][] values, bool[]? publishedColumns = null)
        {
            var rows = values.Length;
            var cols = values[0].Length;
            bool Pub(int c) => publishedColumns?[c] ?? true;
            Cells = values.Select(row => row.Select((v, c) => System.Add(v, Pub(c))).ToArray()).ToArray();
            RowTotals = values.Select(row => System.Add(row.Sum())).ToArray();
            ColumnTotals = Enumerable.Range(0, cols).Select(c => System.Add(values.Sum(row => row[c]), Pub(c))).ToArray();
            Grand = System.Add(values.Sum(row => row.Sum()));
            for (var r = 0; r < rows; r++) System.Line(RowTotals[r], Cells[r]);
            for (var c = 0; c < cols; c++) System.Line(ColumnTotals[c], Cells.Select(row => row[c]).ToList());
            System.Line(Grand, RowTotals);
            System.Line(Grand, ColumnTotals);
        }
    }

    /// <summary>
    /// Every line whose total is published: a suppressed cell in it has a companion that is not shown either (suppressed,
    /// or never published), so that the total minus the shown cells is never one cell's count.
    /// </summary>
    private static void AssertLineRule(CellSystem s, CellMark[] marks)
    {
        foreach (var line in s.Lines.Where(l => s.Published[l.Total]))
        {
            var notShown = line.Cells.Where(c => marks[c] != CellMark.Shown).ToList();
            // A hidden count of 5 or more may be derivable (the rest of a sector); a suppressed or small one never alone.
            if (notShown.Count == 1 && (marks[notShown[0]] != CellMark.Hidden || s.Values[notShown[0]] is > 0 and < SmallCells.Threshold))
                Assert.Fail($"line with total cell {line.Total} has one suppressed cell alone");
        }
    }

    private static void AssertEverySmallCellProtected(CellSystem s, CellMark[] marks)
    {
        for (var i = 0; i < s.Values.Count; i++)
            if (s.Values[i] is > 0 and < SmallCells.Threshold)
                Assert.That(marks[i], Is.AnyOf(CellMark.Small, CellMark.Hidden), $"cell {i} ({s.Values[i]}) is suppressed");
        Assert.That(SmallCells.Exposed(s, marks), Is.Empty, "no small cell can be worked out");
        var bounds = SmallCells.Deduce(s, marks);
        for (var i = 0; i < s.Values.Count; i++)
            Assert.That(bounds[i].Lo <= s.Values[i] && s.Values[i] <= bounds[i].Hi, Is.True, "the deduction is sound (holds the true value)");
    }

    [Test]
    public void Suppress_OneSmallCellBesideATotal_WouldBeTheTotalMinusTheRest_SoASecondCellGoesToo()
    {
        var s = new CellSystem();
        var cells = new[] { s.Add(3), s.Add(10), s.Add(12) };
        var total = s.Add(25);
        s.Line(total, cells);

        // Primary suppression alone gives the small cell away: 25 − 10 − 12 = 3.
        var primaryOnly = new[] { CellMark.Small, CellMark.Shown, CellMark.Shown, CellMark.Shown };
        Assert.That(SmallCells.Exposed(s, primaryOnly), Is.EqualTo(new[] { cells[0] }));

        var marks = SmallCells.Suppress(s);
        Assert.That(marks, Is.EqualTo(new[] { CellMark.Small, CellMark.Complementary, CellMark.Shown, CellMark.Shown }),
            "the smallest other count goes with it; the total stays");
        Assert.That(SmallCells.Text(3, marks[0]), Is.EqualTo("<5"));
        Assert.That(SmallCells.Text(10, marks[1]), Is.EqualTo("x"));
        AssertLineRule(s, marks);
        AssertEverySmallCellProtected(s, marks);
    }

    [Test]
    public void Suppress_ZeroIsShown_AndNeverUsedAsAComplement()
    {
        var s = new CellSystem();
        var cells = new[] { s.Add(0), s.Add(2), s.Add(0), s.Add(9) };
        var total = s.Add(11);
        s.Line(total, cells);
        var marks = SmallCells.Suppress(s);
        Assert.That(marks[cells[0]], Is.EqualTo(CellMark.Shown));
        Assert.That(marks[cells[2]], Is.EqualTo(CellMark.Shown));
        Assert.That(marks[cells[3]], Is.EqualTo(CellMark.Complementary));
        AssertEverySmallCellProtected(s, marks);
    }

    [Test]
    public void Suppress_TableWithMargins_EverySuppressedCellHasACompanionInItsRowAndColumn()
    {
        var g = new Grid([
            [12, 3, 20, 7],
            [15, 18, 9, 30],
            [8, 25, 1, 14],
            [40, 11, 16, 6],
        ]);
        var marks = SmallCells.Suppress(g.System);
        Assert.That(marks[g.Cells[0][1]], Is.EqualTo(CellMark.Small));
        Assert.That(marks[g.Cells[2][2]], Is.EqualTo(CellMark.Small));
        AssertLineRule(g.System, marks);
        AssertEverySmallCellProtected(g.System, marks);
        Assert.That(marks.Count(m => m == CellMark.Complementary), Is.LessThan(10), "it does not blank the table");
    }

    [Test]
    public void Suppress_SmallTotal_IsSuppressedAndProtectedInTheLineOfTotals()
    {
        var g = new Grid([
            [2, 1, 0],
            [20, 9, 12],
            [7, 11, 30],
        ]);
        var marks = SmallCells.Suppress(g.System);
        Assert.That(marks[g.RowTotals[0]], Is.EqualTo(CellMark.Small), "a total of 3 is a small cell too");
        AssertLineRule(g.System, marks);
        AssertEverySmallCellProtected(g.System, marks);
    }

    /// <summary>
    /// The second query: a board sees its own institution beside the sector total. The rest of the sector is never published,
    /// but sector − own would give it, so a small "rest" is protected as well as a small own count.
    /// </summary>
    [Test]
    public void Suppress_OwnInstitutionBesideSectorTotal_TheRestOfTheSectorCannotBeWorkedOutBySubtraction()
    {
        long[] own = [3, 20, 7, 12];
        long[] rest = [10, 1, 30, 25];
        var s = new CellSystem();
        var ownCells = own.Select(v => s.Add(v)).ToArray();
        var restCells = rest.Select(v => s.Add(v, published: false)).ToArray();
        var sectorCells = own.Zip(rest, (a, b) => s.Add(a + b)).ToArray();
        var ownTotal = s.Add(own.Sum());
        var restTotal = s.Add(rest.Sum(), published: false);
        var sectorTotal = s.Add(own.Sum() + rest.Sum());
        for (var r = 0; r < own.Length; r++) s.Line(sectorCells[r], [ownCells[r], restCells[r]]);
        s.Line(sectorTotal, [ownTotal, restTotal]);
        s.Line(ownTotal, ownCells);
        s.Line(restTotal, restCells);
        s.Line(sectorTotal, sectorCells);

        // Primary suppression alone: the sector's 21 minus the institution's 20 shows the other institutions' 1.
        var primaryOnly = Enumerable.Range(0, s.Values.Count).Select(i => !s.Published[i] ? CellMark.Hidden
            : s.Values[i] is > 0 and < 5 ? CellMark.Small : CellMark.Shown).ToArray();
        Assert.That(SmallCells.Exposed(s, primaryOnly), Does.Contain(restCells[1]));

        var marks = SmallCells.Suppress(s);
        AssertLineRule(s, marks);
        AssertEverySmallCellProtected(s, marks);
        // Spelled out: no published own figure and published sector figure of the same row differ by the hidden small count.
        Assert.That(marks[ownCells[1]] != CellMark.Shown || marks[sectorCells[1]] != CellMark.Shown, Is.True);
        // And the own institution's small cell cannot be had from the sector total minus the rest either.
        var bounds = SmallCells.Deduce(s, marks);
        Assert.That(bounds[ownCells[0]].Hi - bounds[ownCells[0]].Lo, Is.GreaterThan(0));
    }

    /// <summary>The own / rest / sector columns of a board's view: own cells known to the reader, rest never published.</summary>
    private sealed class BoardView
    {
        public CellSystem System { get; } = new();
        public int[] Own { get; }
        public int[] Rest { get; }
        public int[] Sector { get; }
        public int OwnTotal { get; }
        public int RestTotal { get; }
        public int SectorTotal { get; }

        public BoardView(long[] own, long[] rest)
        {
            var s = System;
            Own = own.Select(v => s.Add(v, known: true)).ToArray();
            Rest = rest.Select(v => s.Add(v, published: false)).ToArray();
            Sector = own.Zip(rest, (a, b) => s.Add(a + b)).ToArray();
            OwnTotal = s.Add(own.Sum(), known: true);
            RestTotal = s.Add(rest.Sum(), published: false);
            SectorTotal = s.Add(own.Sum() + rest.Sum());
            for (var r = 0; r < own.Length; r++) s.Line(Sector[r], [Own[r], Rest[r]]);
            s.Line(SectorTotal, [OwnTotal, RestTotal]);
            s.Line(OwnTotal, Own);
            s.Line(RestTotal, Rest);
            s.Line(SectorTotal, Sector);
        }
    }

    private static void AssertSafeForTheReader(CellSystem s, CellMark[] marks)
    {
        var bounds = SmallCells.Deduce(s, marks, reader: true);
        // What the reader knows without any published figure: a cell equal to its known part only adds that the rest is 0.
        var knownPart = SmallCells.Deduce(s, Enumerable.Repeat(CellMark.Hidden, marks.Length).ToArray(), reader: true);
        for (var i = 0; i < s.Values.Count; i++)
        {
            Assert.That(bounds[i].Lo <= s.Values[i] && s.Values[i] <= bounds[i].Hi, Is.True, $"the reader's deduction is sound (cell {i})");
            if (!s.Known[i] && s.Values[i] is > 0 and < SmallCells.Threshold && s.Values[i] > knownPart[i].Lo)
                Assert.That(bounds[i].Hi, Is.GreaterThan(bounds[i].Lo), $"the reader cannot pin the small cell {i} they do not know");
        }
    }

    /// <summary>
    /// The board knows its own counts: own 2, 3, 10 (15), others 3, 0, 20. Shown as own "&lt;5, &lt;5, 10 | 15" beside the
    /// sector "x, &lt;5, 30 | 38", anyone only learns x + y = 8, but the board, knowing its own 3, has y ∈ [3, 4], so x = 5 and
    /// the other institutions' first count is 5 − 2 = 3.
    /// </summary>
    [Test]
    public void Suppress_TheBoardKnowsItsOwnCounts_NoSmallCountOfTheOthersFollowsFromThem()
    {
        var v = new BoardView([2, 3, 10], [3, 0, 20]);
        var s = v.System;
        var naive = new CellMark[s.Values.Count];
        for (var i = 0; i < naive.Length; i++)
            naive[i] = !s.Published[i] ? CellMark.Hidden : s.Values[i] is > 0 and < 5 ? CellMark.Small : CellMark.Shown;
        naive[v.Sector[0]] = CellMark.Complementary;
        Assert.That(SmallCells.Deduce(s, naive)[v.Rest[0]].Hi, Is.GreaterThan(SmallCells.Deduce(s, naive)[v.Rest[0]].Lo), "safe for anyone");
        Assert.That(SmallCells.Deduce(s, naive, reader: true)[v.Rest[0]], Is.EqualTo((3L, 3L)), "but the board works out the others' 3");
        Assert.That(SmallCells.Exposed(s, naive), Does.Contain(v.Rest[0]));

        var marks = SmallCells.Suppress(s);
        AssertLineRule(s, marks);
        AssertEverySmallCellProtected(s, marks);
        AssertSafeForTheReader(s, marks);
        var bounds = SmallCells.Deduce(s, marks, reader: true);
        Assert.That(bounds[v.Rest[0]].Hi, Is.GreaterThan(bounds[v.Rest[0]].Lo));
        Assert.That(marks[v.OwnTotal], Is.EqualTo(CellMark.Shown), "the board's own total hides nothing from it, nor from anyone here");
        Assert.That(marks.Count(m => m == CellMark.Complementary), Is.LessThan(4), "it does not blank the view");
    }

    /// <summary>
    /// The board's view of the seed of FiguresTests (quarters of one year, types, outcomes; own 11 cases, the rest 9):
    /// every figure is a line sector = own + rest and shares the grand total. The board's own total hides nothing from the
    /// board and is not needed to hide anything from anyone, so it stays shown.
    /// </summary>
    [Test]
    public void Suppress_BoardViewOfTheFiguresSeed_KeepsTheOwnGrandTotal()
    {
        var s = new CellSystem();
        int[] Cell(long own, long rest)
        {
            var c = new[] { s.Add(own, known: true), s.Add(rest, published: false), s.Add(own + rest) };
            s.Line(c[2], [c[0], c[1]]);
            return c;
        }
        void Sum(int[] total, IEnumerable<int[]> parts)
        {
            var list = parts.ToList();
            for (var k = 0; k < 3; k++) s.Line(total[k], list.Select(p => p[k]).ToList());
        }
        var grand = Cell(11, 9);
        var quarters = new[] { Cell(2, 0), Cell(2, 0), Cell(3, 4), Cell(4, 5) };
        var year = Cell(11, 9);
        Sum(year, quarters);
        Sum(grand, [year]);
        Sum(grand, [Cell(9, 9), Cell(1, 0), Cell(1, 0), Cell(0, 0), Cell(0, 0)]);
        Sum(grand, [Cell(5, 0), Cell(0, 0), Cell(2, 0), Cell(0, 0), Cell(4, 9)]);

        var marks = SmallCells.Suppress(s);
        AssertLineRule(s, marks);
        AssertEverySmallCellProtected(s, marks);
        AssertSafeForTheReader(s, marks);
        Assert.That(marks[grand[0]], Is.EqualTo(CellMark.Shown), "11");
        Assert.That(marks[grand[2]], Is.EqualTo(CellMark.Shown), "20");
        Assert.That(marks[quarters[2][2]], Is.EqualTo(CellMark.Complementary), "7 = own 3 + the others' 4: the board would subtract");
    }

    [Test]
    public void Suppress_ManyRandomBoardViews_SafeForAnyoneAndForTheBoard()
    {
        var random = new Random(20261201);
        for (var n = 0; n < 300; n++)
        {
            var rows = random.Next(1, 6);
            long Count() => random.Next(3) == 0 ? random.Next(0, 5) : random.Next(0, 30);
            var v = new BoardView(Enumerable.Range(0, rows).Select(_ => Count()).ToArray(), Enumerable.Range(0, rows).Select(_ => Count()).ToArray());
            var marks = SmallCells.Suppress(v.System);
            AssertLineRule(v.System, marks);
            AssertEverySmallCellProtected(v.System, marks);
            AssertSafeForTheReader(v.System, marks);
        }
    }

    /// <summary>A per-quarter table with the year totals, and the grand total shared by another breakdown (the same cell).</summary>
    [Test]
    public void Suppress_QuartersBesideYearTotalsAndAnotherBreakdown_NoQuarterRecoverableFromTheYearOrTheGrandTotal()
    {
        var s = new CellSystem();
        long[] y1 = [6, 2, 9, 11];
        long[] y2 = [14, 8, 7, 4];
        var q1 = y1.Select(v => s.Add(v)).ToArray();
        var q2 = y2.Select(v => s.Add(v)).ToArray();
        var year1 = s.Add(y1.Sum());
        var year2 = s.Add(y2.Sum());
        var grand = s.Add(y1.Sum() + y2.Sum());
        s.Line(year1, q1);
        s.Line(year2, q2);
        s.Line(grand, [year1, year2]);
        long[] types = [30, 1, 30];
        var typeCells = types.Select(v => s.Add(v)).ToArray();
        s.Line(grand, typeCells);

        var marks = SmallCells.Suppress(s);
        AssertLineRule(s, marks);
        AssertEverySmallCellProtected(s, marks);
        Assert.That(marks[grand], Is.EqualTo(CellMark.Shown), "the grand total is needed by no complement here");
    }

    [Test]
    public void Suppress_ManyRandomTables_NeverExposeASmallCell()
    {
        var random = new Random(20261130);
        for (var n = 0; n < 300; n++)
        {
            var rows = random.Next(1, 6);
            var cols = random.Next(1, 5);
            var values = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols)
                .Select(_ => (long)(random.Next(4) == 0 ? random.Next(0, 5) : random.Next(0, 40))).ToArray()).ToArray();
            var hiddenColumn = cols > 1 && random.Next(3) == 0;
            var g = new Grid(values, hiddenColumn ? Enumerable.Range(0, cols).Select(c => c != cols - 1).ToArray() : null);
            var marks = SmallCells.Suppress(g.System);
            AssertLineRule(g.System, marks);
            AssertEverySmallCellProtected(g.System, marks);
        }
    }

    [Test]
    public void Line_PartsThatDoNotAddUp_Throw()
    {
        var s = new CellSystem();
        var a = s.Add(3);
        var t = s.Add(4);
        Assert.Throws<InvalidOperationException>(() => s.Line(t, [a]));
    }
}
