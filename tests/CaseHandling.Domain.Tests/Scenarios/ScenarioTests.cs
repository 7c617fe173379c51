using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Cases.Timeline;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Tests.Scenarios;

/// <summary>Runs every row of legal-scenarios.md, the table a lawyer reviews.</summary>
public class ScenarioTests
{
    private const string File = "legal-scenarios.md";
    private const string Time = "yyyy-MM-dd HH:mm";

    public static IEnumerable<TestCaseData> MatrixRows() =>
        Table("## Matrix").Select(r => new TestCaseData(r).SetName($"{r["#"]} {r["sector"]} {r["incident"]} {r["victim"]}/{r["victim age"]} {r["accused"]} {r["board learned (Amsterdam)"]} [{r["regime setting"]}]"));

    public static IEnumerable<TestCaseData> DeadlineRows() =>
        Table("## Deadlines").Select(r => new TestCaseData(r).SetName($"{r["#"]} {r["rule"]} from {r["start (Amsterdam)"]}: {r["note"]}"));

    [TestCaseSource(nameof(MatrixRows))]
    public void Matrix(IReadOnlyDictionary<string, string> row)
    {
        var extended = row["regime setting"] switch
        {
            "huidig recht" => (DateOnly?)null,
            "uitgebreid vanaf 2024-01-01" => new DateOnly(2024, 1, 1),
            var other => throw new FormatException($"unknown regime setting '{other}'"),
        };
        var rules = new DutyRules(DutyMatrix.Create(extended), DeadlinePolicy.Default, WorkingDayCalendar.Atw());
        var facts = new CaseFacts(Enum.Parse<Sector>(row["sector"]), Enum.Parse<IncidentType>(row["incident"]),
            Enum.Parse<VictimKind>(row["victim"]), Enum.Parse<VictimAge>(row["victim age"]), false,
            Enum.Parse<AccusedRole>(row["accused"]), Local(row["board learned (Amsterdam)"]));
        var c = Case.Open(Guid.NewGuid(), facts, OpenedVia.BoardRegistration, new Actor("board", StaffRole.Board), null,
            TimelineDetails.None, rules, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

        var overleg = c.Duties.SingleOrDefault(d => d.Kind == DutyKind.StartOverleg);
        Assert.Multiple(() =>
        {
            Assert.That(c.RegimeId, Is.EqualTo(row["regime"]), "regime");
            Assert.That(c.Coverage.ToString(), Is.EqualTo(row["coverage"]), "coverage");
            Assert.That(overleg is null ? "—" : DutchTime.ToLocal(overleg.DueAt).ToString(Time), Is.EqualTo(row["overleg due (Amsterdam)"]), "overleg due");
            Assert.That(c.Explanations.Single().Read().Reason, Is.Not.Empty, "the decision carries its reason");
        });
    }

    [TestCaseSource(nameof(DeadlineRows))]
    public void Deadline(IReadOnlyDictionary<string, string> row)
    {
        var computed = DeadlineRule.Parse(row["rule"]).Compute(Local(row["start (Amsterdam)"]), WorkingDayCalendar.Atw());
        var passedOver = row["days passed over"] == "—" ? [] : row["days passed over"].Split(", ").Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd")).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(DutchTime.ToLocal(computed.Due).ToString(Time), Is.EqualTo(row["due (Amsterdam)"]), "due");
            Assert.That(computed.Skipped.Select(s => s.Date), Is.EqualTo(passedOver), "days passed over");
            Assert.That(computed.Skipped.Select(s => s.Reason), Has.All.Contains("Atw art."), "every day passed over names its article");
        });
    }

    [Test]
    public void Table_CoversEverySectorIncidentAgeAccusedAndVictimKind()
    {
        var rows = Table("## Matrix").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r["sector"]).Distinct(), Is.EquivalentTo(Enum.GetNames<Sector>()));
            Assert.That(rows.Select(r => r["incident"]).Distinct(), Is.EquivalentTo(Enum.GetNames<IncidentType>()));
            Assert.That(rows.Select(r => r["victim age"]).Distinct(), Is.EquivalentTo(Enum.GetNames<VictimAge>()));
            Assert.That(rows.Select(r => r["accused"]).Distinct(), Is.EquivalentTo(Enum.GetNames<AccusedRole>()));
            Assert.That(rows.Select(r => r["victim"]).Distinct(), Is.EquivalentTo(Enum.GetNames<VictimKind>()));
            // One row per case per regime: every case appears under both settings.
            Assert.That(rows.GroupBy(r => string.Join("|", r.Where(kv => kv.Key is not ("#" or "regime setting" or "regime" or "coverage" or "overleg due (Amsterdam)")).Select(kv => kv.Value)))
                .All(g => g.Select(r => r["regime setting"]).Distinct().Count() == 2), "every case under both regime settings");
        });
    }

    private static DateTimeOffset Local(string text)
    {
        var t = DateTime.ParseExact(text, Time, System.Globalization.CultureInfo.InvariantCulture);
        return DutchTime.FromLocal(DateOnly.FromDateTime(t), TimeOnly.FromDateTime(t));
    }

    /// <summary>The rows of the Markdown table under <paramref name="heading"/>, each keyed by the column headers.</summary>
    private static IEnumerable<IReadOnlyDictionary<string, string>> Table(string heading)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Scenarios", File));
        var start = Array.IndexOf(lines, heading);
        if (start < 0) throw new InvalidOperationException($"{File} has no '{heading}'");
        var table = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
        static string[] Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var headers = Cells(table[0]);
        foreach (var line in table.Skip(2))
        {
            var cells = Cells(line);
            if (cells.Length != headers.Length) throw new FormatException($"{File}: '{line}' has {cells.Length} cells, expected {headers.Length}");
            yield return headers.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        }
    }
}
