using System.Net;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Statistics;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The monitoring figures (docs/STATISTICS.md) through the API on real PostgreSQL: who sees what, the suppression in the
/// JSON and the CSV, and figures that do not change when the retention job erases content.
/// </summary>
public sealed class FiguresTests
{
    /// <summary>Three institutions of one sector with cases through the chain, and one of another sector.</summary>
    public sealed record Seeded(World World, string Own, string Second, string Third, string OtherSector, HttpClient ThirdBoard);

    public static async Task<Seeded> Seed(TestHost host, Sector sector = Sector.Vo)
    {
        var w = await World.Create(host, sector);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var institutions = await w.Admin.GetJson<List<InstitutionView>>("/api/admin/institutions");
        var own = institutions.Single(i => i.Id == w.InstitutionId).Name;
        var second = institutions.Single(i => i.Name == own.Replace("Instelling", "Andere instelling", StringComparison.Ordinal)).Name;
        var third = await World.Institution(w.Admin, $"Derde school {tag}", sector);
        var thirdBoard = await World.NewUser(host, w.Admin, StaffRole.Board, third.Id);
        var elsewhere = await World.Institution(w.Admin, $"School elders {tag}", sector == Sector.Po ? Sector.Vo : Sector.Po);
        var elsewhereBoard = await World.NewUser(host, w.Admin, StaffRole.Board, elsewhere.Id);
        var now = DateTimeOffset.UtcNow;

        static async Task<CaseRef> Register(HttpClient board, IncidentType type, DateTimeOffset learnedAt) =>
            await (await board.Post("/api/cases", new RegisterCase(type, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
                AccusedRole.MetTakenBelastPersoon, learnedAt, "Feitenrelaas"))).Read<CaseRef>(HttpStatusCode.Created);

        // Own institution: through the chain at different paces, learned of in different quarters.
        for (var i = 0; i < 9; i++)
        {
            var c = await Register(w.Board, IncidentType.Zedenmisdrijf, now.AddDays(-(10 + 35 * i)).AddHours(-1));
            if (i >= 7) continue;
            await (await w.Consult(c.Id)).Read<CaseRef>();
            var outcome = i < 5 ? OverlegOutcome.ReasonableSuspicion : OverlegOutcome.NoReasonableSuspicion;
            await (await w.Outcome(c.Id, outcome)).Read<CaseRef>();
            if (outcome != OverlegOutcome.ReasonableSuspicion) continue;
            await (await w.Inform(c.Id)).Read<CaseRef>();
            await (await w.Aangifte(c.Id)).Read<CaseRef>();
        }
        await Register(w.Board, IncidentType.Bullying, now.AddDays(-3));
        await Register(w.Board, IncidentType.SeksueleIntimidatie, now.AddDays(-20));
        for (var i = 0; i < 3; i++) await Register(w.OtherBoard, IncidentType.Zedenmisdrijf, now.AddDays(-15 - i));
        for (var i = 0; i < 6; i++)
        {
            var c = await Register(thirdBoard, IncidentType.Zedenmisdrijf, now.AddDays(-30 - 20 * i));
            await (await thirdBoard.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = w.InspectorId, factsGiven = "Feiten" })).Read<CaseRef>();
        }
        for (var i = 0; i < 4; i++) await Register(elsewhereBoard, IncidentType.Violence, now.AddDays(-5 - i));
        return new Seeded(w, own, second, third.Name, elsewhere.Name, thirdBoard);
    }

    private static IEnumerable<Figure> All(MonitoringFigures f) =>
        f.Tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells).Concat(f.Late.SelectMany(r => r.Cells).SelectMany(c => new[] { c.Met, c.Late }));

    private static void AssertSuppressed(MonitoringFigures f)
    {
        Assert.That(All(f).Where(x => x.Count is > 0 and < 5), Is.Empty, "no count from 1 to 4 is published");
        Assert.That(All(f).Where(x => x.Count is null).Select(x => x.Text), Is.All.AnyOf("<5", "x"));
        Assert.That(All(f).Where(x => x.Count is { } n).All(x => x.Text == x.Count!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.True);
    }

    /// <summary>The CSV line by line: the same texts as the JSON, so the same suppression; and no small count in any form.</summary>
    private static void AssertCsvMatches(string csv, MonitoringFigures f)
    {
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Fields).ToList();
        var byKey = lines.ToLookup(l => (l[0], l[1], l[4]), l => l[5]);
        foreach (var table in f.Tables)
            foreach (var row in table.Rows)
                for (var c = 0; c < f.Columns.Count; c++)
                    Assert.That(byKey[(table.Id, row.Key, f.Columns[c])].Single(), Is.EqualTo(row.Cells[c].Text), $"{table.Id} {row.Key} {f.Columns[c]}");
        foreach (var row in f.Late)
            for (var c = 0; c < f.Columns.Count; c++)
            {
                Assert.That(byKey[("late", row.Key, f.Columns[c] + ":met")].Single(), Is.EqualTo(row.Cells[c].Met.Text));
                Assert.That(byKey[("late", row.Key, f.Columns[c] + ":late")].Single(), Is.EqualTo(row.Cells[c].Late.Text));
            }
        var counts = lines.Where(l => l[3] != "Statistic" && !l[4].EndsWith(":percent", StringComparison.Ordinal)).Select(l => l[5]).ToList();
        Assert.That(counts.Where(v => v is "1" or "2" or "3" or "4"), Is.Empty);
    }

    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }

    [Test]
    public async Task Figures_Board_SeesItsOwnInstitutionBesideTheSectorTotal_NeverAnotherInstitution()
    {
        var host = await TestHost.Get("figures");
        var s = await Seed(host);
        var w = s.World;

        var mine = await w.Board.GetJson<MonitoringFigures>("/api/figures");
        var mineJson = JsonSerializer.Serialize(mine);
        var mineCsv = await w.Board.GetStringAsync("/api/figures/export.csv");
        Assert.That(mine.Scope, Is.EqualTo(FigureScope.Institution));
        Assert.That(mine.InstitutionName, Is.EqualTo(s.Own));
        Assert.That(mine.SectorShown, Is.True, "two other institutions of the sector have cases");
        Assert.That(mine.Columns, Is.EqualTo(new[] { "own", "sector" }));
        Assert.That(mine.Tables.Select(t => t.Id), Does.Not.Contain("institution").And.Not.Contain("sector"));
        foreach (var other in new[] { s.Second, s.Third, s.OtherSector })
        {
            Assert.That(mineJson, Does.Not.Contain(other));
            Assert.That(mineCsv, Does.Not.Contain(other));
        }
        Assert.That(mineJson, Does.Not.Contain("institution:"), "no row is keyed by another institution");
        AssertSuppressed(mine);
        AssertCsvMatches(mineCsv, mine);

        // The sector is the three institutions of this sector, not the other sector's 4 violence cases.
        var total = mine.Tables.Single(t => t.Id == "quarter").Rows.Single(r => r.Key == "cases");
        Assert.That(total.Cells.Select(c => c.Text), Is.EqualTo(new[] { "11", "20" }));
        Assert.That(mine.Tables.Single(t => t.Id == "type").Rows.Single(r => r.Key == "type:Violence").Cells.Select(c => c.Text), Is.EqualTo(new[] { "0", "0" }));

        // Differencing: wherever both columns are shown, sector − own (the other institutions together) is 0 or at least 5.
        foreach (var row in mine.Tables.SelectMany(t => t.Rows).Where(r => r.Cells.All(c => c.Count is not null)))
            Assert.That(row.Cells[1].Count!.Value - row.Cells[0].Count!.Value, Is.EqualTo(0).Or.GreaterThanOrEqualTo(5), row.Key);
        foreach (var row in mine.Late.Where(r => r.Cells.All(c => c.Met.Count is not null && c.Late.Count is not null)))
        {
            Assert.That(row.Cells[1].Met.Count!.Value - row.Cells[0].Met.Count!.Value, Is.EqualTo(0).Or.GreaterThanOrEqualTo(5), row.Key);
            Assert.That(row.Cells[1].Late.Count!.Value - row.Cells[0].Late.Count!.Value, Is.EqualTo(0).Or.GreaterThanOrEqualTo(5), row.Key);
        }

        // Another board of the same sector: its own figures, not the first institution's.
        var theirs = await w.OtherBoard.GetJson<MonitoringFigures>("/api/figures");
        Assert.That(theirs.InstitutionName, Is.EqualTo(s.Second));
        Assert.That(JsonSerializer.Serialize(theirs), Does.Not.Contain(s.Own).And.Not.Contain(s.Third));
        Assert.That(await w.OtherBoard.GetStringAsync("/api/figures/export.csv"), Does.Not.Contain(s.Own));
        AssertSuppressed(theirs);

        // The administrator sees every institution, by name, grouped by sector; with the same suppression.
        var all = await w.Admin.GetJson<MonitoringFigures>("/api/figures");
        Assert.That(all.Scope, Is.EqualTo(FigureScope.All));
        Assert.That(all.Columns, Is.EqualTo(new[] { "all" }));
        var names = all.Tables.Single(t => t.Id == "institution").Rows.Select(r => r.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { s.Own, s.Second, s.Third, s.OtherSector }));
        Assert.That(all.Tables.Single(t => t.Id == "institution").Rows.Single(r => r.Name == s.Second).Cells[0].Text, Is.EqualTo("<5"), "3 cases");
        AssertSuppressed(all);
        AssertCsvMatches(await w.Admin.GetStringAsync("/api/figures/export.csv"), all);

        // Not for other roles.
        Assert.That((await w.Inspector.GetAsync("/api/figures")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await w.Staff.GetAsync("/api/figures/export.csv")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Figures_TimesAndLateShares_FromTheEventsAndDuties()
    {
        var host = await TestHost.Get("figures");
        var s = await Seed(host, Sector.Mbo);
        var mine = await s.World.Board.GetJson<MonitoringFigures>("/api/figures");
        var overleg = mine.Tables.Single(t => t.Id == "overleg");
        Assert.That(overleg.Rows.Single(r => r.Key == "overleg:n").Cells.Select(c => c.Text), Is.EqualTo(new[] { "7", "13" }), "7 own overleggen, 6 of the third school");
        Assert.That(overleg.Quartiles![0], Is.Null, "7 cases are too few for quartiles");
        Assert.That(overleg.Quartiles[1], Is.Not.Null, "13 are enough");
        Assert.That(overleg.Quartiles[1]!.Q1, Is.LessThanOrEqualTo(overleg.Quartiles[1]!.Median));
        var outcome = mine.Tables.Single(t => t.Id == "outcome");
        Assert.That(outcome.Rows.Single(r => r.Key == "outcome:ReasonableSuspicion").Cells[0].Text, Is.EqualTo("5"));
        // The duty to start the overleg, learned of weeks ago and started today: met late, counted as such.
        var start = mine.Late.Single(r => r.Key == nameof(Domain.Duties.DutyKind.StartOverleg));
        Assert.That(start.Cells[1].Met.Text, Is.EqualTo("13"));
        Assert.That(start.Cells[1].SharePercent, Is.Not.Null.And.GreaterThan(0));
    }

    /// <summary>
    /// The figures are counted in PostgreSQL (docs/PERFORMANCE.md); this checks them case by case against the domain's own
    /// calendar: Dutch dates around midnight, the holidays of spring 2026 (Pasen, Koningsdag, 5 mei, Hemelvaart, Pinksteren),
    /// an administrator's extra holiday, and the last conclusion of an overleg that first asked for more information.
    /// </summary>
    [Test]
    public async Task Figures_CountedInTheDatabase_MatchTheCalendarCaseByCase()
    {
        var consulted = new DateTimeOffset(2026, 5, 27, 8, 0, 0, TimeSpan.Zero); // Wednesday 10:00 Amsterdam
        await using var j = await JobHost.Start("figures-calendar", consulted);
        var w = await World.Create(j.Host, Sector.Vo);
        var extra = new DateOnly(2026, 5, 20);
        await (await w.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/admin/settings")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { extraHolidays = new[] { extra.ToString("yyyy-MM-dd") } }),
        })).Read<SettingsView>();

        DateTimeOffset[] learned =
        [
            new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), new(2026, 3, 13, 12, 0, 0, TimeSpan.Zero),
            new(2026, 3, 20, 23, 30, 0, TimeSpan.Zero), // Saturday 00:30 in Amsterdam
            new(2026, 3, 27, 9, 0, 0, TimeSpan.Zero), new(2026, 3, 30, 10, 0, 0, TimeSpan.Zero),
            new(2026, 3, 31, 21, 0, 0, TimeSpan.Zero), // 23:00 on 31 March in Amsterdam: still the first quarter
            new(2026, 3, 31, 22, 30, 0, TimeSpan.Zero), // 00:30 on 1 April in Amsterdam: the second quarter, though UTC says March
            new(2026, 4, 2, 10, 0, 0, TimeSpan.Zero), new(2026, 4, 5, 10, 0, 0, TimeSpan.Zero), // before Goede Vrijdag; Eerste Paasdag
            new(2026, 4, 24, 22, 30, 0, TimeSpan.Zero), new(2026, 4, 26, 12, 0, 0, TimeSpan.Zero), // the weekend before Koningsdag
            new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero), new(2026, 5, 13, 10, 0, 0, TimeSpan.Zero), new(2026, 5, 22, 10, 0, 0, TimeSpan.Zero),
        ];
        for (var i = 0; i < learned.Length; i++)
        {
            var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: learned[i]);
            await (await w.Consult(c.Id)).Read<CaseRef>();
            if (i >= 5) continue;
            // Both at the same instant: the later one recorded is the outcome.
            await (await w.Outcome(c.Id, OverlegOutcome.MoreInformationNeeded, new DateOnly(2026, 6, 5))).Read<CaseRef>();
            await (await w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion)).Read<CaseRef>();
        }

        // The reference: the domain's calendar day by day, as a deadline is counted.
        var calendar = Domain.Calendar.WorkingDayCalendar.Atw([extra]);
        var step = Domain.Calendar.DutchTime.LocalDate(consulted);
        var days = learned.Select(l =>
        {
            var n = 0;
            for (var d = Domain.Calendar.DutchTime.LocalDate(l).AddDays(1); d <= step; d = d.AddDays(1))
                if (calendar.IsWorkingDay(d)) n++;
            return n;
        }).Order().ToList();
        double Percentile(double p)
        {
            var rank = p * (days.Count - 1);
            int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
            return Math.Round(days[lo] + (days[hi] - days[lo]) * (rank - lo), 1);
        }

        var all = await w.Admin.GetJson<MonitoringFigures>("/api/figures");
        var overleg = all.Tables.Single(t => t.Id == "overleg");
        Assert.That(overleg.Rows.Single(r => r.Key == "overleg:n").Cells[0].Text, Is.EqualTo("14"));
        Assert.That(overleg.Quartiles![0], Is.EqualTo(new Quartiles(Percentile(0.25), Percentile(0.5), Percentile(0.75))), string.Join(",", days));
        for (var b = 0; b < GetMonitoringFiguresHandler.Buckets.Length; b++)
        {
            var expected = days.Count(d => GetMonitoringFiguresHandler.Bucket(d) == b);
            var cell = overleg.Rows.Single(r => r.Key == "overleg:" + GetMonitoringFiguresHandler.Buckets[b]).Cells[0];
            Assert.That(cell.Count ?? expected, Is.EqualTo(expected), GetMonitoringFiguresHandler.Buckets[b]);
        }
        var quarters = all.Tables.Single(t => t.Id == "quarter");
        Assert.That(quarters.Rows.Single(r => r.Key == "quarter:2026-Q1").Cells[0].Text, Is.EqualTo("6"), "23:00 on 31 March in Amsterdam");
        Assert.That(quarters.Rows.Single(r => r.Key == "quarter:2026-Q2").Cells[0].Text, Is.EqualTo("8"), "00:30 on 1 April in Amsterdam");
        var outcome = all.Tables.Single(t => t.Id == "outcome");
        Assert.That(outcome.Rows.Single(r => r.Key == "outcome:ReasonableSuspicion").Cells[0].Text, Is.EqualTo("5"));
        Assert.That(outcome.Rows.Single(r => r.Key == "outcome:MoreInformationNeeded").Cells[0].Text, Is.EqualTo("0"));
        Assert.That(outcome.Rows.Single(r => r.Key == "outcome:None").Cells[0].Text, Is.EqualTo("9"));
    }

    /// <summary>
    /// The migration FiguresFactsOnCases fills the facts the figures now read from the case's row (the start of the overleg,
    /// the aangifte, the last conclusion) from the timelines of the cases already there: run again (down, which drops the
    /// columns, then up), the figures are what they were.
    /// </summary>
    [Test]
    public async Task Migration_FiguresFactsFilledFromTheTimelines_FiguresUnchanged()
    {
        var host = await TestHost.Get("figures-migration");
        var s = await Seed(host, Sector.Po);
        var c = await s.World.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await s.World.Consult(c.Id)).Read<CaseRef>();
        await (await s.World.Outcome(c.Id, OverlegOutcome.MoreInformationNeeded, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)))).Read<CaseRef>();
        await (await s.World.Outcome(c.Id, OverlegOutcome.NoReasonableSuspicion)).Read<CaseRef>();
        var before = JsonSerializer.Serialize(await s.World.Admin.GetJson<MonitoringFigures>("/api/figures"));

        await TestDatabase.MigrateAgainAfter(host.ConnectionString, "20261130174000_StopClosedReportDutyReminders");
        await using (var db = TestDatabase.Open(host.ConnectionString))
        {
            Assert.That(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Cases,
                x => x.OverlegStartedAt != null && x.AangifteFiledAt != null && x.LastConclusion == Domain.Workflow.CaseTrigger.ConcludeReasonableSuspicion),
                Is.EqualTo(5), "the five aangiftes of the seed");
            Assert.That((await db.Cases.FindAsync(c.Id))!.LastConclusion, Is.EqualTo(Domain.Workflow.CaseTrigger.ConcludeNoReasonableSuspicion),
                "the conclusion recorded last");
        }
        Assert.That(JsonSerializer.Serialize(await s.World.Admin.GetJson<MonitoringFigures>("/api/figures")), Is.EqualTo(before));
    }

    [Test]
    public async Task Figures_AfterTheRetentionJobErasedClosedCases_AreTheSame()
    {
        await using var j = await JobHost.Start("figures-retention", DateTimeOffset.UtcNow);
        var w = await World.Create(j.Host);
        var now = j.Clock.GetUtcNow();
        for (var i = 0; i < 7; i++)
        {
            var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: now.AddHours(-1 - i), facts: $"Te wissen {i}");
            await (await w.Consult(c.Id)).Read<CaseRef>();
            await (await w.Outcome(c.Id, OverlegOutcome.NoReasonableSuspicion)).Read<CaseRef>();
            await (await w.FollowUp(c.Id, FollowUp.None)).Read<CaseRef>();
        }
        await w.Register(IncidentType.Bullying, VictimAge.Adult, learnedAt: now.AddHours(-2), facts: "Blijft open");

        var before = await w.Admin.GetJson<MonitoringFigures>("/api/figures");
        var beforeBoard = await w.Board.GetJson<MonitoringFigures>("/api/figures");
        var beforeCsv = await w.Admin.GetStringAsync("/api/figures/export.csv");
        Assert.That(before.Tables.Single(t => t.Id == "quarter").Rows.Single(r => r.Key == "cases").Cells[0].Text, Is.EqualTo("8"),
            "the figures are not all suppressed: the comparison means something");
        // 7 without redelijk vermoeden beside 1 still open: the 1 is "<5", and the 7 goes with it (8 − 7 would give it).
        Assert.That(before.Tables.Single(t => t.Id == "outcome").Rows.Where(r => r.Key is "outcome:NoReasonableSuspicion" or "outcome:None")
            .Select(r => r.Cells[0].Text), Is.EqualTo(new[] { "x", "<5" }));

        j.Clock.Advance(TimeSpan.FromDays(800)); // past 24 months for "no redelijk vermoeden"
        Assert.That(await j.Run<RetentionJob>(x => x.Run(CancellationToken.None)), Is.EqualTo("Succeeded"));
        var admin = await World.SignIn(j.Host, TestHost.AdminEmail, TestHost.AdminPassword);
        Assert.That((await admin.GetJson<StatisticsView>("/api/admin/statistics")).Cases.Sum(c => c.Erased), Is.EqualTo(7), "the content is gone");
        var board = await World.NewUser(j.Host, admin, StaffRole.Board, w.InstitutionId);

        var after = await admin.GetJson<MonitoringFigures>("/api/figures");
        Assert.That(JsonSerializer.Serialize(after), Is.EqualTo(JsonSerializer.Serialize(before)));
        Assert.That(JsonSerializer.Serialize(await board.GetJson<MonitoringFigures>("/api/figures")), Is.EqualTo(JsonSerializer.Serialize(beforeBoard)));
        Assert.That(await admin.GetStringAsync("/api/figures/export.csv"), Is.EqualTo(beforeCsv));
    }
}
