using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Statistics;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Statistics;

/// <summary>
/// The monitoring figures: tables and server-drawn charts, with the small counts suppressed (docs/STATISTICS.md). The
/// administrator sees every institution; a board its own institution beside its sector's total.
/// </summary>
[Authorize(Policy = Policies.Figures)]
public sealed class FiguresModel(IMediator mediator) : FiguresPage
{
    public MonitoringFigures Figures { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new GetMonitoringFigures(), ct);
        if (result.Error is Forbidden) return Forbid();
        Figures = Loaded(result);
        return Page();
    }

    /// <summary>Why a share is missing: no duty of this kind was met, or its counts are suppressed.</summary>
    public string NoShare(LateFigure cell) => cell.Met.Count == 0 ? T["figures.noduties"] : T["figures.noshare"];

    public FigureTable Table(string id) => Figures.Tables.Single(t => t.Id == id);

    public bool Has(string id) => Figures.Tables.Any(t => t.Id == id);

    /// <summary>
    /// A table's chart: each category's share of the column's total (so that one's own institution and the sector compare),
    /// or, when that total is suppressed, its length beside the column's largest count. A suppressed count has no bar, only its mark.
    /// </summary>
    public IHtmlContent Chart(string id, string name)
    {
        var table = Table(id);
        var items = table.Rows.Where(r => r.Kind == RowKind.Item).ToList();
        var total = table.Rows.LastOrDefault(r => r.Kind == RowKind.Total);
        var series = Figures.Columns.Select(c => ColumnLabel(Figures, c)).ToList();
        var groups = items.Select(row => new BarGroup(RowLabel(id, row), row.Cells.Select((cell, c) =>
        {
            var whole = total?.Cells[c].Count;
            var max = items.Max(r => r.Cells[c].Count ?? 0);
            if (cell.Count is not { } n) return new Bar(null, cell.Text);
            if (whole is > 0) return new Bar((double)n / whole.Value, $"{cell.Text} ({Percent(100.0 * n / whole.Value)})");
            return new Bar(max > 0 ? (double)n / max : 0, cell.Text);
        }).ToList())).ToList();
        return BarChart.Draw("chart-" + id, T.Format("figures.chart", name), series, groups);
    }

    /// <summary>The share of duties met late, per kind of duty, as bars of 0–100 %.</summary>
    public IHtmlContent LateChart(string name)
    {
        var series = Figures.Columns.Select(c => ColumnLabel(Figures, c)).ToList();
        var groups = Figures.Late.Where(r => r.Kind == RowKind.Item).Select(row => new BarGroup(RowLabel("late", new FigureRowLabel(row.Key, null)),
            row.Cells.Select(cell => cell.SharePercent is { } s ? new Bar(s / 100, Percent(s)) : new Bar(null, NoShare(cell))).ToList())).ToList();
        return BarChart.Draw("chart-late", T.Format("figures.chart", name), series, groups);
    }
}
