using CaseHandling.Data;
using CaseHandling.Domain.Incidents;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The duties' indexes by case, report, incident, assignee and institution, and the reports' retention index, leave out
/// the rows they can never find (migrations DutyIndexesWithoutNulls and DutiesInstitutionIndexWithoutNulls): a new
/// report's duty writes four index entries fewer. Shown here: each index has its predicate, and PostgreSQL still uses it
/// for the lookups the app makes, with a parameter and with a
/// parameter array (= ANY, as EF writes Contains) as much as with one id. With sequential scans turned off, a plan that
/// still holds a Seq Scan means that no index could serve the query.
/// </summary>
public sealed class PartialIndexTests
{
    private static string _cs = null!;

    [OneTimeSetUp]
    public async Task Database() => _cs = await TestDatabase.CreateAsync("partial_indexes", migrate: true);

    /// <summary>The first column of every row a catalogue query answers.</summary>
    private static async Task<List<string>> Strings(string sql)
    {
        await using var conn = new NpgsqlConnection(_cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var found = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add(reader.GetString(0));
        return found;
    }

    [TestCase("ix_duties_case_id", "case_id IS NOT NULL")]
    [TestCase("ix_duties_report_id", "report_id IS NOT NULL")]
    [TestCase("ix_duties_incident_id", "incident_id IS NOT NULL")]
    [TestCase("ix_duties_open_assignee_due_at", "assignee_user_id IS NOT NULL")]
    [TestCase("ix_duties_open_institution_due_at", "institution_id IS NOT NULL")]
    [TestCase("ix_reports_retention", "closed_at IS NOT NULL")]
    public async Task Index_LeavesOutTheRowsItCannotFind(string index, string predicate)
    {
        await using var conn = new NpgsqlConnection(_cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1", conn)
            { Parameters = { new() { Value = index } } };
        var filter = await cmd.ExecuteScalarAsync() as string;
        Assert.That(filter, Does.Contain(predicate), $"{index}'s predicate");
    }

    /// <summary>An index no query reads costs every accepted report an entry: the reports' index by status and submission time is gone.</summary>
    [Test]
    public async Task Reports_HaveNoIndexByStatus()
    {
        Assert.That(await Strings("SELECT indexname FROM pg_indexes WHERE tablename = 'reports' AND indexdef LIKE '%USING btree (status%'"), Is.Empty);
    }

    /// <summary>
    /// Nor an index by institution (EF's for the foreign key, left out by CaseHandling.Data.ForeignKeyIndexes): no query reads
    /// reports by institution. The foreign key itself stays, and every other foreign key keeps its index.
    /// </summary>
    [Test]
    public async Task Reports_HaveNoIndexByInstitution_TheForeignKeyStays()
    {
        Assert.That(await Strings("SELECT indexname FROM pg_indexes WHERE tablename = 'reports' AND indexdef LIKE '%USING btree (institution_id%'"), Is.Empty);
        Assert.That(await Strings("SELECT conname FROM pg_constraint WHERE conrelid = 'reports'::regclass AND contype = 'f' AND pg_get_constraintdef(oid) LIKE 'FOREIGN KEY (institution_id) REFERENCES institutions(id)%'"),
            Has.Count.EqualTo(1));
        // The convention still indexes the other keys: an incident's to the case it was linked to has no index of its own in the model.
        Assert.That(await Strings("SELECT indexname FROM pg_indexes WHERE tablename = 'incidents' AND indexdef LIKE '%USING btree (linked_case_id)'"), Is.Not.Empty);
    }

    /// <summary>
    /// The same in the app's model, which the migrations are made from: the replaced convention leaves out the reports' index by
    /// institution and nothing else (an incident's key to its linked case keeps EF's index), and the migrations hold the model
    /// as it is (no change left for a migration to make).
    /// </summary>
    [Test]
    public void Model_LeavesOutOnlyTheReportsIndexByInstitution_AndMatchesTheMigrations()
    {
        var options = CaseHandlingDbContext.Configure(new DbContextOptionsBuilder<CaseHandlingDbContext>(), _cs);
        using var db = new CaseHandlingDbContext((DbContextOptions<CaseHandlingDbContext>)options.Options);
        static bool IndexedAlone(IEntityType type, string property) =>
            type.GetIndexes().Any(i => i.Properties.Count == 1 && i.Properties[0].Name == property);
        Assert.Multiple(() =>
        {
            Assert.That(IndexedAlone(db.Model.FindEntityType(typeof(Report))!, nameof(Report.InstitutionId)), Is.False);
            Assert.That(IndexedAlone(db.Model.FindEntityType(typeof(Incident))!, nameof(Incident.LinkedCaseId)), Is.True);
            Assert.That(db.Database.HasPendingModelChanges(), Is.False, "the model and the migrations' snapshot agree");
        });
    }

    /// <summary>
    /// Nor do duties have an index by due time alone: the sweep reads them by next action, every list by its owner, and at
    /// 1,000,000 cases no query used it (migration DutiesWithoutDueIndex). Every new duty wrote an entry into it.
    /// </summary>
    [Test]
    public async Task Duties_HaveNoIndexByDueTimeAlone()
    {
        Assert.That(await Strings("SELECT indexname FROM pg_indexes WHERE tablename = 'duties' AND indexdef LIKE '%USING btree (due_at)%'"), Is.Empty);
    }

    [TestCase("SELECT * FROM duties WHERE case_id = $1", "uuid", "ix_duties_case_id")]
    [TestCase("SELECT * FROM duties WHERE case_id = ANY($1)", "uuid[]", "ix_duties_case_id")]
    [TestCase("SELECT * FROM duties WHERE report_id = ANY($1)", "uuid[]", "ix_duties_report_id")]
    [TestCase("SELECT * FROM duties WHERE incident_id = $1", "uuid", "ix_duties_incident_id")]
    [TestCase("SELECT * FROM duties WHERE assignee_user_id = $1 AND met_at IS NULL ORDER BY due_at", "text", "ix_duties_open_assignee_due_at")]
    // A board's open duties (ListOpenDuties, ListIncidentReportDuties): by institution, in due order.
    [TestCase("SELECT * FROM duties WHERE institution_id = $1 AND met_at IS NULL AND case_id IS NOT NULL ORDER BY due_at", "uuid", "ix_duties_open_institution_due_at")]
    [TestCase("SELECT d.* FROM cases c JOIN duties d ON d.case_id = c.id WHERE c.id = $1", "uuid", "ix_duties_case_id")]
    [TestCase("SELECT * FROM reports WHERE closed_at IS NOT NULL AND erased_at IS NULL AND NOT legal_hold", null, "ix_reports_retention")]
    // The sweep, by next action; the open-duty gauge (Telemetry), every open duty, walks the same partial index (there is no
    // index by due time alone any more).
    [TestCase("SELECT * FROM duties WHERE met_at IS NULL AND next_action_at <= now() ORDER BY next_action_at", null, "ix_duties_next_action")]
    [TestCase("SELECT kind, count(*), count(*) FILTER (WHERE due_at < $1) FROM duties d WHERE met_at IS NULL AND NOT EXISTS " +
              "(SELECT 1 FROM reports r WHERE r.id = d.report_id AND r.status = 'Closed') GROUP BY kind ORDER BY kind", "timestamptz", "ix_duties_next_action")]
    public async Task Lookup_StillUsesTheIndex(string sql, string? parameterType, string index)
    {
        await using var conn = new NpgsqlConnection(_cs);
        await conn.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", conn)) await off.ExecuteNonQueryAsync();
        // A generic plan, as for a prepared statement the app runs again and again: the planner cannot look at the value.
        await using (var generic = new NpgsqlCommand("SET plan_cache_mode = force_generic_plan", conn)) await generic.ExecuteNonQueryAsync();
        var prepare = parameterType is null ? $"PREPARE q AS {sql}" : $"PREPARE q({parameterType}) AS {sql}";
        await using (var p = new NpgsqlCommand(prepare, conn)) await p.ExecuteNonQueryAsync();
        var argument = parameterType switch
        {
            "uuid" => $"('{Guid.NewGuid()}')",
            "uuid[]" => $"(ARRAY['{Guid.NewGuid()}', '{Guid.NewGuid()}']::uuid[])",
            "text" => "('someone')",
            "timestamptz" => "(now())",
            _ => "",
        };
        await using var explain = new NpgsqlCommand($"EXPLAIN (COSTS OFF) EXECUTE q{argument}", conn);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        var text = string.Join("\n", plan);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain(index), "the partial index serves the lookup");
            Assert.That(text, Does.Not.Contain("Seq Scan on duties").And.Not.Contain("Seq Scan on reports"));
        });
    }
}
