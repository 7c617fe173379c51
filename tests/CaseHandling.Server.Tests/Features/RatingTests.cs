using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Features.Statistics;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// How it went, in the reporter's words: asked only after the meldpunt's feedback or its closing, taken once, the line
/// sealed, and counted in the monitoring figures with the same small-cell suppression.
/// </summary>
public sealed class RatingTests
{
    private static async Task<(string Code, Guid Id)> Submit(World w, string text = "Wat er gebeurde")
    {
        var receipt = await (await w.Anonymous.Post("/api/reports", new SubmitReport(ReporterKind.Student, true, null, null, null,
            IncidentType.SeksueleIntimidatie, text, "vorige week", w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter,
            VictimAgeAnswer.Adult, Destination.MeldpuntOnly))).Read<ReportReceipt>(HttpStatusCode.Created);
        return (receipt.ReceiptCode, await Sql.ReportIdByReceiptCode(w.Host.ConnectionString, receipt.ReceiptCode));
    }

    private static Task<HttpResponseMessage> Rate(World w, string code, int s, int i, int a, string? comment = null) =>
        w.Anonymous.Post("/api/reports/rating", new { receiptCode = code, takenSeriously = s, keptInformed = i, wouldReportAgain = a, comment });

    [Test]
    public async Task AskedOnlyAfterFeedbackOrClosing_AndOnlyOnce_TheLineSealed()
    {
        var w = await World.Create(await TestHost.Get());
        var (code, id) = await Submit(w);
        var conflict = await (await Rate(w, code, 4, 4, 4)).Problem(HttpStatusCode.Conflict);
        Assert.That(conflict.GetProperty("currentState").GetString(), Is.EqualTo("Received"), "409 names where the report stands");
        await (await w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Acknowledgement", text = "Ontvangen." })).Read<ReportRef>();
        await (await Rate(w, code, 4, 4, 4)).Problem(HttpStatusCode.Conflict);
        var status = await (await w.Anonymous.Post("/api/reports/status", new { receiptCode = code })).Read<ReportStatusView>();
        Assert.That(status.CanRate, Is.False, "not asked before the feedback");

        await (await w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Feedback", text = "Dit hebben wij gedaan." })).Read<ReportRef>();
        status = await (await w.Anonymous.Post("/api/reports/status", new { receiptCode = code })).Read<ReportStatusView>();
        Assert.That(status.CanRate, Is.True, "asked after the feedback");

        var bad = await (await Rate(w, code, 0, 6, 3)).Problem(HttpStatusCode.BadRequest);
        Assert.That(bad.GetProperty("errors").TryGetProperty("takenSeriously", out _) && bad.GetProperty("errors").TryGetProperty("keptInformed", out _), Is.True,
            "each field out of range is named");

        var marker = $"REGEL{Guid.NewGuid():N}"[..20];
        var rated = await (await Rate(w, code, 5, 2, 4, $"{marker} het duurde lang")).Read<ReportStatusView>();
        Assert.That((rated.CanRate, rated.RatedAt.HasValue), Is.EqualTo((false, true)));
        await (await Rate(w, code, 1, 1, 1)).Problem(HttpStatusCode.Conflict);

        var stored = await Sql.Scalar<string>(w.Host.ConnectionString,
            "SELECT rating_taken_seriously || ',' || rating_kept_informed || ',' || rating_would_report_again || ' ' || rating_comment FROM reports WHERE id = @id", id);
        Assert.That(stored, Does.StartWith("5,2,4 ch1:").And.Not.Contain(marker), "the scores as codes, the line sealed");
        Assert.That(await (await w.Handler.GetAsync($"/api/meldpunt/reports/{id}")).Content.ReadAsStringAsync(), Does.Not.Contain(marker));

        // Closed without feedback: asked too.
        var (closedCode, closedId) = await Submit(w);
        await (await w.Handler.Post($"/api/meldpunt/reports/{closedId}/close", new { })).Read<ReportRef>();
        Assert.That((await (await Rate(w, closedCode, 3, 3, 3)).Read<ReportStatusView>()).RatedAt, Is.Not.Null);
    }

    [Test]
    public async Task Figures_CountTheAnswers_WithSmallCellsSuppressed()
    {
        var host = await TestHost.Get("ratings");
        var w = await World.Create(host);
        // Seven answers on "taken seriously": six 5s and one 2; the 2 is a small cell.
        foreach (var seriously in new[] { 5, 5, 5, 5, 5, 5, 2 })
        {
            var (code, id) = await Submit(w);
            await (await w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Feedback", text = "Afgehandeld." })).Read<ReportRef>();
            await (await Rate(w, code, seriously, 4, 4)).Read<ReportStatusView>();
        }

        var figures = await w.Admin.GetJson<MonitoringFigures>("/api/figures");
        var tables = figures.Tables.Where(t => t.Id.StartsWith("rating-")).ToList();
        Assert.That(tables.Select(t => t.Id), Is.EquivalentTo(new[] { "rating-seriously", "rating-informed", "rating-again", "rating-quarter", "rating-sector" }));
        var seriouslyTable = tables.Single(t => t.Id == "rating-seriously");
        var two = seriouslyTable.Rows.Single(r => r.Key == "rs:2").Cells[0];
        Assert.That((two.Count, two.Text), Is.EqualTo(((long?)null, "<5")), "one answer is not shown");
        var cells = tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells).ToList();
        Assert.That(cells.Where(c => c.Count is > 0 and < 5), Is.Empty, "no count from 1 to 4 anywhere");
        Assert.That(seriouslyTable.Rows.Where(r => r.Kind == FigureRowKindTotal).Single().Cells[0].Count is null or 7, Is.True);
        // The suppressed 1 cannot be worked out from the rest: some other cell of its line is hidden too, or the total is.
        var line = seriouslyTable.Rows.Select(r => r.Cells[0]).ToList();
        Assert.That(line.Count(c => c.Count is null), Is.GreaterThanOrEqualTo(2), string.Join(", ", line.Select(c => c.Text)));
    }

    private const RowKind FigureRowKindTotal = RowKind.Total;
}
