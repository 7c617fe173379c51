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
