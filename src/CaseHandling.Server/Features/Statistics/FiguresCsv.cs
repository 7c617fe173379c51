using System.Globalization;
using System.Text;

namespace CaseHandling.Server.Features.Statistics;

/// <summary>
/// The monitoring figures as CSV (RFC 4180), one figure a line: the same published figures as the page and the JSON, so the
/// same suppression ("&lt;5", "x"); a suppressed count is not in the file in any form.
/// </summary>
public static class FiguresCsv
{
    public const string ContentType = "text/csv; charset=utf-8";
    public const string FileName = "cijfers.csv";

    /// <param name="label">The row's words in the reader's language (table, row key, name) → text; the key when null.</param>
    public static string Write(MonitoringFigures figures, Func<string, FigureRowLabel, string>? label = null)
    {
        var csv = new StringBuilder();
        Line(csv, "table", "row", "label", "kind", "column", "value");
        foreach (var table in figures.Tables)
        {
            foreach (var row in table.Rows)
                for (var c = 0; c < figures.Columns.Count; c++)
                    Line(csv, table.Id, row.Key, Label(table.Id, row.Key, row.Name), row.Kind.ToString(), figures.Columns[c], row.Cells[c].Text);
            if (table.Quartiles is { } quartiles)
                for (var c = 0; c < figures.Columns.Count; c++)
                    if (quartiles[c] is { } q)
                    {
                        Line(csv, table.Id, "q1", Label(table.Id, "q1", null), "Statistic", figures.Columns[c], Number(q.Q1));
                        Line(csv, table.Id, "median", Label(table.Id, "median", null), "Statistic", figures.Columns[c], Number(q.Median));
                        Line(csv, table.Id, "q3", Label(table.Id, "q3", null), "Statistic", figures.Columns[c], Number(q.Q3));
                    }
        }
        foreach (var row in figures.Late)
            for (var c = 0; c < figures.Columns.Count; c++)
            {
                var cell = row.Cells[c];
                var name = Label("late", row.Key, null);
                Line(csv, "late", row.Key, name, row.Kind.ToString(), figures.Columns[c] + ":met", cell.Met.Text);
                Line(csv, "late", row.Key, name, row.Kind.ToString(), figures.Columns[c] + ":late", cell.Late.Text);
                Line(csv, "late", row.Key, name, row.Kind.ToString(), figures.Columns[c] + ":percent", cell.SharePercent is { } s ? Number(s) : "");
            }
        return csv.ToString();

        string Label(string table, string key, string? name) => label?.Invoke(table, new FigureRowLabel(key, name)) ?? name ?? key;
    }

    private static string Number(double x) => x.ToString("0.#", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, params string[] fields)
    {
        csv.AppendJoin(',', fields.Select(Field));
        csv.Append("\r\n");
    }

    private static string Field(string value)
    {
        // A name that a spreadsheet would read as a formula is written as text (CSV injection); "<5" is not such a name.
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

public sealed record FigureRowLabel(string Key, string? Name);
