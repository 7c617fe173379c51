using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace CaseHandling.Server.Pages.Portal.Statistics;

/// <summary>One bar of a chart: its length as a fraction of the longest (null: nothing drawn, e.g. a suppressed count) and its text.</summary>
public sealed record Bar(double? Fraction, string Text);

public sealed record BarGroup(string Label, IReadOnlyList<Bar> Bars);

/// <summary>
/// A horizontal bar chart drawn on the server as inline SVG: no script, no image request, the page's own font, and text
/// that scales with it. ScottPlot (used for the benchmark's charts) draws its text as its own font into a fixed-size
/// picture; here the labels are real text in the reader's language and the chart stays a few kilobytes. The chart is
/// an image with a name; its figures are in the table beside it, which is the text alternative.
/// </summary>
public static class BarChart
{
    /// <summary>Blue and purple: each at least 3:1 against white (WCAG 1.4.11), and every bar carries its value as text.</summary>
    public static readonly string[] Colours = ["#0b4f8a", "#a90061"];

    private const int Width = 720;
    private const int LabelWidth = 310;
    private const int BarArea = 280;
    private const int BarHeight = 16;
    private const int Gap = 10;

    public static IHtmlContent Draw(string id, string name, IReadOnlyList<string> series, IReadOnlyList<BarGroup> groups)
    {
        // The legend one series a line: the names are long ("Eigen instelling (…)") and must not run into each other.
        var legend = series.Count > 1 ? series.Count * 20 + 6 : 0;
        var groupHeight = series.Count * (BarHeight + 2) + Gap;
        var height = legend + groups.Count * groupHeight + 4;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(name)}</title>");
        for (var s = 0; s < series.Count && legend > 0; s++)
        {
            var y = 4 + s * 20;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{Colours[s % Colours.Length]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + 20}\" y=\"{y + 12}\" font-size=\"13\" fill=\"#1b1b1b\">{Encode(series[s])}</text>");
        }
        for (var g = 0; g < groups.Count; g++)
        {
            var top = legend + g * groupHeight;
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{LabelWidth - 8}\" y=\"{top + BarHeight - 3}\" font-size=\"14\" text-anchor=\"end\" fill=\"#1b1b1b\">{Encode(Shorten(groups[g].Label))}</text>");
            for (var s = 0; s < groups[g].Bars.Count; s++)
            {
                var bar = groups[g].Bars[s];
                var y = top + s * (BarHeight + 2);
                var length = bar.Fraction is { } f ? Math.Max(f > 0 ? 2 : 0, (int)Math.Round(f * BarArea)) : 0;
                if (length > 0)
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{length}\" height=\"{BarHeight}\" fill=\"{Colours[s % Colours.Length]}\"/>");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{LabelWidth + length + 6}\" y=\"{y + BarHeight - 3}\" font-size=\"13\" fill=\"#1b1b1b\">{Encode(bar.Text)}</text>");
            }
        }
        // The axis the bars start from.
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{LabelWidth}\" y1=\"{legend}\" x2=\"{LabelWidth}\" y2=\"{height - 2}\" stroke=\"#4a4a4a\" stroke-width=\"1\"/>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Shorten(string label) => label.Length <= 40 ? label : label[..39] + "…";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
