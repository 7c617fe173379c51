using ScottPlot;

namespace CaseHandling.Benchmarks;

/// <summary>Throughput and p99 against concurrency, beside PostgreSQL's ceiling (PNG, ScottPlot).</summary>
public static class Chart
{
    public static void Write(IReadOnlyList<LevelResult> levels, string path)
    {
        var plot = new Plot();
        double[] xs = levels.Select(l => (double)l.Concurrency).ToArray();
        var ceiling = plot.Add.Scatter(xs, levels.Select(l => l.CeilingTps).ToArray());
        ceiling.LegendText = "PostgreSQL ceiling (1-row INSERT TPS)";
        ceiling.LineWidth = 2;
        var intake = plot.Add.Scatter(xs, levels.Select(l => l.IntakeRps).ToArray());
        intake.LegendText = "report intake via HTTP API (req/s)";
        intake.LineWidth = 2;
        plot.Axes.Left.Label.Text = "throughput per second";
        plot.Axes.Bottom.Label.Text = "concurrent clients";

        var p99 = plot.Add.Scatter(xs, levels.Select(l => l.P99Ms).ToArray());
        p99.LegendText = "intake p99 latency (ms, right axis)";
        p99.LinePattern = LinePattern.Dashed;
        var right = plot.Axes.Right;
        p99.Axes.YAxis = right;
        right.Label.Text = "p99 latency (ms)";
        plot.Title("CaseHandling: report intake against PostgreSQL's ceiling");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 520);
    }
}
