using System.Net;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Writers racing on one report or one case: each write either lands (200) or lost the race and says so (409), never
/// a 5xx, and every write that was answered 200 is there afterwards, with its audit entry (the unit of work).
/// </summary>
public sealed class ConcurrencyTests
{
    private World _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    private static readonly HttpStatusCode[] OkOrConflict = [HttpStatusCode.OK, HttpStatusCode.Conflict];

    [Test]
    public async Task ReportersAndHandlers_WriteToTheSameReportsAtOnce_OnlyOkOrConflict_EveryOkWriteKept()
    {
        const int reports = 5, writesPerSide = 15; // 150 concurrent writes
        var submitted = new List<(string Code, Guid Id)>();
        for (var i = 0; i < reports; i++)
        {
            var receipt = await (await _w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null,
                IncidentType.SeksueleIntimidatie, "Wat er gebeurde", "vorige week", _w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon,
                VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly))).Read<ReportReceipt>(HttpStatusCode.Created);
            var id = await Sql.Scalar<Guid>(_w.Host.ConnectionString, "SELECT id FROM reports WHERE receipt_hash = @h", ("h", ReceiptCode.Hash(receipt.ReceiptCode)));
            submitted.Add((receipt.ReceiptCode, id));
        }

        var writes = submitted.SelectMany(r => Enumerable.Range(0, writesPerSide).SelectMany(n => new Func<Task<(Guid, HttpResponseMessage)>>[]
        {
            async () => (r.Id, await _w.Anonymous.Post("/api/reports/messages", new { receiptCode = r.Code, text = $"aanvulling {n}" })),
            async () => (r.Id, await _w.Handler.Post($"/api/meldpunt/reports/{r.Id}/messages", new { kind = "Message", text = $"vraag {n}" })),
        })).ToList();
        var results = await Task.WhenAll(writes.Select(w => Task.Run(w)));

        Assert.That(results, Has.Length.EqualTo(reports * writesPerSide * 2));
        var codes = results.Select(r => r.Item2.StatusCode).ToList();
        Assert.That(codes, Is.All.AnyOf(OkOrConflict), string.Join(",", codes.GroupBy(c => c).Select(g => $"{g.Key}×{g.Count()}"))
            + string.Join("\n", _w.Host.Logs.Lines.Where(l => l.Contains("unhandled", StringComparison.OrdinalIgnoreCase)).Take(1).Select(l => l[..Math.Min(l.Length, 3000)])));
        foreach (var (code, id) in submitted)
        {
            var ok = results.Count(r => r.Item1 == id && r.Item2.StatusCode == HttpStatusCode.OK);
            var messages = await Sql.Scalar<long>(_w.Host.ConnectionString, "SELECT count(*) FROM report_messages WHERE report_id = @id", id);
            var changes = await Sql.Scalar<long>(_w.Host.ConnectionString,
                "SELECT count(*) FROM audit_entries WHERE subject_id = @id AND action IN ('change:ReporterMessage', 'change:Message')", id);
            Assert.That(messages, Is.EqualTo(ok), "every write answered 200 is kept, and no other");
            Assert.That(changes, Is.EqualTo(ok), "each with its audit entry");
        }
        foreach (var conflict in results.Where(r => r.Item2.StatusCode == HttpStatusCode.Conflict).Take(3))
            Assert.That((await conflict.Item2.Problem(HttpStatusCode.Conflict)).GetProperty("title").GetString(), Is.EqualTo("Concurrent change"));
    }

    [Test]
    public async Task Boards_RaceOnTheSameCases_OnlyOkOrConflict_TheTimelineHoldsEachOkStep()
    {
        const int cases = 4, racers = 26; // 104 concurrent writes
        var opened = new List<Guid>();
        for (var i = 0; i < cases; i++) opened.Add((await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor)).Id);

        // Per case: the overleg started many times at once (one may win), and the legal hold placed and lifted at once.
        var writes = opened.SelectMany(id => Enumerable.Range(0, racers).Select(n => new Func<Task<(Guid, HttpResponseMessage)>>(async () =>
            (id, n % 2 == 0 ? await _w.Consult(id) : await _w.Board.Post($"/api/cases/{id}/legal-hold", new { hold = n % 4 == 1 }))))).ToList();
        var results = await Task.WhenAll(writes.Select(w => Task.Run(w)));

        var codes = results.Select(r => r.Item2.StatusCode).ToList();
        Assert.That(codes, Has.Count.EqualTo(cases * racers));
        Assert.That(codes, Is.All.AnyOf(OkOrConflict), string.Join(",", codes.GroupBy(c => c).Select(g => $"{g.Key}×{g.Count()}"))
            + string.Join("\n", _w.Host.Logs.Lines.Where(l => l.Contains("unhandled", StringComparison.OrdinalIgnoreCase)).Take(1).Select(l => l[..Math.Min(l.Length, 3000)])));
        foreach (var id in opened)
        {
            var detail = await _w.Board.Case(id);
            var ok = results.Where(r => r.Item1 == id && r.Item2.StatusCode == HttpStatusCode.OK).ToList();
            var okSteps = new List<string>();
            foreach (var (_, response) in ok)
                okSteps.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString()!);
            Assert.That(detail.Timeline.Count(t => t.Step == "StartConsultation"), Is.LessThanOrEqualTo(1), "the overleg starts once");
            Assert.That(detail.Timeline.Count - 1, Is.EqualTo(ok.Count), "one timeline entry for each step answered 200 (after the opening)");
            var audited = await Sql.Scalar<long>(_w.Host.ConnectionString,
                "SELECT count(*) FROM audit_entries WHERE subject_id = @id AND action LIKE 'change:%'", id);
            Assert.That(audited, Is.EqualTo(ok.Count + 1), "one audit entry for each change, and the opening");
        }
    }
}

/// <summary>
/// Concurrent steps (issue 13, item 5): two board members take the same step, or conflicting steps, on one case at the
/// same moment. Exactly one wins, the other gets 409 saying why, and the case's duties are exactly those of a case on
/// which only the winner's step was taken.
/// </summary>
public sealed class ConcurrentStepTests
{
    private World _w = null!;
    private HttpClient _secondBoard = null!;

    [SetUp]
    public async Task SetUp()
    {
        _w = await World.Create(await TestHost.Get());
        _secondBoard = await World.NewUser(_w.Host, _w.Admin, StaffRole.Board, _w.InstitutionId);
    }

    private static async Task<(HttpResponseMessage A, HttpResponseMessage B)> AtOnce(Func<Task<HttpResponseMessage>> a, Func<Task<HttpResponseMessage>> b)
    {
        var results = await Task.WhenAll(Task.Run(a), Task.Run(b));
        return (results[0], results[1]);
    }

    /// <summary>The case's state and its duties, each with its status.</summary>
    private async Task<IReadOnlyList<string>> Duties(Guid id)
    {
        var c = await _w.Board.Case(id);
        return c.Duties.Select(d => $"{d.Kind}:{d.Status}").Order().Prepend($"state:{c.State}").ToList();
    }

    [Test]
    public async Task SameStep_TwoBoardMembersAtOnce_OneWins_TheOtherGets409([Values] bool ifMatch)
    {
        for (var round = 0; round < 5; round++)
        {
            var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
            var etag = ifMatch ? $"\"{c.Version}\"" : null;
            var body = new { inspectorId = _w.InspectorId, factsGiven = "Feiten" };
            var (a, b) = await AtOnce(() => _w.Board.Post($"/api/cases/{c.Id}/consultation", body, etag),
                () => _secondBoard.Post($"/api/cases/{c.Id}/consultation", body, etag));
            var codes = new[] { a.StatusCode, b.StatusCode };
            Assert.That(codes, Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }), $"round {round}");
            var loser = a.StatusCode == HttpStatusCode.Conflict ? a : b;
            var problem = await loser.Problem(HttpStatusCode.Conflict);
            // The loser learns why: a stale version, or (without If-Match) the state the winner left, with what is allowed now.
            if (problem.TryGetProperty("currentState", out var state))
                Assert.That(state.GetString(), Is.EqualTo("ConsultationStarted"));
            var detail = await _w.Board.Case(c.Id);
            Assert.That(detail.Timeline.Count(t => t.Step == "StartConsultation"), Is.EqualTo(1));
            Assert.That(detail.Duties.Count(d => d.Kind == DutyKind.StartOverleg && d.Status == DutyStatus.Met), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ConflictingSteps_InformedAndInformingImpossibleAtOnce_OneWins_DutiesAsIfOnlyTheWinnerActed()
    {
        async Task<CaseRef> AtStepFour()
        {
            var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
            await (await _w.Consult(c.Id)).Read<CaseRef>();
            return await (await _w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion)).Read<CaseRef>();
        }
        Task<HttpResponseMessage> Inform(HttpClient board, Guid id) => board.Post($"/api/cases/{id}/parties-informed",
            new { informedAt = DateTimeOffset.UtcNow, parties = new[] { InformedParty.Parents, InformedParty.Accused }, how = "Gesprek" });
        Task<HttpResponseMessage> Impossible(HttpClient board, Guid id) => board.Post($"/api/cases/{id}/informing-impossible", new { reason = "Onbereikbaar" });

        // The duties of a case on which only one of the two was done, one after the other.
        var onlyInformed = await AtStepFour();
        await (await Inform(_w.Board, onlyInformed.Id)).Read<CaseRef>();
        var onlyImpossible = await AtStepFour();
        await (await Impossible(_w.Board, onlyImpossible.Id)).Read<CaseRef>();
        var expected = new Dictionary<string, IReadOnlyList<string>>
        {
            ["informed"] = await Duties(onlyInformed.Id),
            ["impossible"] = await Duties(onlyImpossible.Id),
        };
        Assert.That(expected["informed"], Is.Not.EqualTo(expected["impossible"]), "the two steps leave different states");

        for (var round = 0; round < 5; round++)
        {
            var c = await AtStepFour();
            var (a, b) = await AtOnce(() => Inform(_w.Board, c.Id), () => Impossible(_secondBoard, c.Id));
            Assert.That(new[] { a.StatusCode, b.StatusCode }, Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }), $"round {round}");
            var winner = a.StatusCode == HttpStatusCode.OK ? "informed" : "impossible";
            await (a.StatusCode == HttpStatusCode.OK ? b : a).Problem(HttpStatusCode.Conflict);
            Assert.That(await Duties(c.Id), Is.EqualTo(expected[winner]), $"round {round}: duties as if only '{winner}' happened");
            var detail = await _w.Board.Case(c.Id);
            Assert.That(detail.Timeline.Count(t => t.Step is "InformParties" or "RecordInformingImpossible"), Is.EqualTo(1));
        }
    }
}

/// <summary>
/// A step that loses a deadlock (to the sweep, in the soak of 2026-12-01) is a lost race like any other: 409, so that the
/// client reloads and tries again, not 503 as if the database were away. The deadlock is made certain with a trigger
/// that raises PostgreSQL's own deadlock error for one case only.
/// </summary>
public sealed class DeadlockTests
{
    [Test]
    public async Task Step_LosesADeadlockInSaveChanges_409NotUnavailable_TheCaseUnchanged()
    {
        var w = await World.Create(await TestHost.Get());
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        var trigger = "deadlock_once_" + Guid.NewGuid().ToString("N")[..12];
        await Sql.Execute(w.Host.ConnectionString, $"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'deadlock made by the test' USING ERRCODE = '40P01'; END $$;
            CREATE TRIGGER {trigger} BEFORE UPDATE ON cases FOR EACH ROW WHEN (OLD.id = '{c.Id}') EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            var r = await w.Board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = w.InspectorId, factsGiven = "Feiten" });
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a lost deadlock is a lost race: try again");
        }
        finally
        {
            await Sql.Execute(w.Host.ConnectionString, $"DROP TRIGGER {trigger} ON cases; DROP FUNCTION {trigger}();");
        }
        var detail = await w.Board.Case(c.Id);
        Assert.That(detail.Timeline.Count(t => t.Step == "StartConsultation"), Is.Zero, "nothing of the step was kept");
        var again = await w.Board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = w.InspectorId, factsGiven = "Feiten" });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "and the step succeeds when tried again");
    }
}
