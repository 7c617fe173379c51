using System.Net;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The intake's statement batch (Infrastructure/Persistence/InsertBatch.cs, docs/PERFORMANCE.md) writes the rows EF
/// writes: the same columns, converters and sealing, the duty with the report, the audit chain intact.
/// </summary>
public sealed class InsertBatchTests
{
    private static ReportInput Input(Guid institution) => new(ReporterKind.StaffMember, Anonymous: false, "Sam de Vries", "sam@example.org", "0612345678",
        IncidentType.SeksueleIntimidatie, "Wat er gebeurde, in detail", "vorige week dinsdag", institution, "Faculteit X",
        AccusedRole.MetTakenBelastPersoon, VictimWho.SomeoneElse, VictimAgeAnswer.Minor, Destination.MeldpuntOnly);

    [Test]
    public async Task Batch_SameReportAsEf_ReadBackThroughEfEqualInEveryColumn()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var rulesScope = host.Services.CreateAsyncScope();
        var rules = rulesScope.ServiceProvider.GetRequiredService<DutyRules>();
        var accusedInput = new AccusedInput("Jan Jansen", null, "j.jansen@example.org", "P12345");
        var viaBatch = Report.Submit(Input(w.InstitutionId), RandomHash(), rules, now);
        var viaEf = Report.Submit(Input(w.InstitutionId), RandomHash(), rules, now);
        var accusedBatch = ReportAccused.For(viaBatch.Id, accusedInput, w.InstitutionId, now);
        var accusedEf = ReportAccused.For(viaEf.Id, accusedInput, w.InstitutionId, now);

        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<InsertBatch>().WriteAsync([viaBatch, accusedBatch], CancellationToken.None);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
            db.Add(viaEf);
            db.Add(accusedEf);
            await db.SaveChangesAsync();
        }

        await using (var scope = host.Services.CreateAsyncScope())
        using (KeyScope.Begin())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
            await scope.ServiceProvider.GetRequiredService<DataKeys>().PreloadAsync([viaBatch.Id, viaEf.Id], CancellationToken.None);
            var batchRead = await db.Reports.AsNoTracking().Include(r => r.Duties).SingleAsync(r => r.Id == viaBatch.Id);
            var efRead = await db.Reports.AsNoTracking().Include(r => r.Duties).SingleAsync(r => r.Id == viaEf.Id);

            var differing = Differences(db.Model, batchRead, efRead, nameof(Report.Id), nameof(Report.Number), nameof(Report.ReceiptHash), nameof(Report.Version));
            Assert.That(differing, Is.Empty, "every column of the report reads back as EF's does");
            Assert.That(batchRead.WhatHappened, Is.EqualTo("Wat er gebeurde, in detail"), "sealed and opened again");
            Assert.That(batchRead.Number, Does.StartWith("M-"), "the number comes from the database's sequence, as with EF");
            Assert.That(batchRead.Duties.Select(d => d.Kind), Is.EqualTo(new[] { DutyKind.MeldpuntAcknowledgement }), "the service-level duty is there");
            Assert.That(Differences(db.Model, batchRead.Duties.Single(), efRead.Duties.Single(), nameof(Duty.Id), nameof(Duty.ReportId)), Is.Empty);

            var accusedRead = await db.ReportAccused.AsNoTracking().SingleAsync(a => a.ReportId == viaBatch.Id);
            var accusedEfRead = await db.ReportAccused.AsNoTracking().SingleAsync(a => a.ReportId == viaEf.Id);
            Assert.That(Differences(db.Model, accusedRead, accusedEfRead, nameof(ReportAccused.ReportId)), Is.Empty);
            Assert.That(accusedRead.Name, Is.EqualTo("Jan Jansen"));
        }

        // On disk the content is ciphertext, as EF's interceptor leaves it.
        var stored = await Sql.Scalar<string>(host.ConnectionString, "SELECT what_happened FROM reports WHERE id = @id", viaBatch.Id);
        Assert.That(ContentCipher.IsSealed(stored), Is.True);
        Assert.That(stored, Does.Not.Contain("Wat er gebeurde"));
        var storedName = await Sql.Scalar<string>(host.ConnectionString, "SELECT name FROM report_accused WHERE report_id = @id", viaBatch.Id);
        Assert.That(ContentCipher.IsSealed(storedName), Is.True);
    }

    [Test]
    public async Task Submit_WithIdempotencyKeyAndAccused_ReportDutyAuditAndKeyCommittedTogether_ChainVerifies()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var body = new SubmitReport(ReporterKind.Student, true, null, null, null, IncidentType.SeksueleIntimidatie, "Wat er gebeurde", "gisteren",
            w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly,
            AccusedName: "Batch Accusé " + Guid.NewGuid().ToString("N")[..8]);
        var key = Guid.NewGuid().ToString();
        var client = w.Anonymous;

        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports")
            {
                Content = System.Net.Http.Json.JsonContent.Create(body, options: Infrastructure.Api.Json),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var receipt = await (await Send()).Read<ReportReceipt>(HttpStatusCode.Created);
        var id = await Sql.ReportIdByReceiptCode(host.ConnectionString, receipt.ReceiptCode);

        Assert.That(await Sql.Scalar<long>(host.ConnectionString,
            "SELECT count(*) FROM duties WHERE report_id = @id AND kind = 'MeldpuntAcknowledgement' AND met_at IS NULL", id), Is.EqualTo(1));
        Assert.That(await Sql.Scalar<string>(host.ConnectionString,
            "SELECT action FROM audit_entries WHERE subject_id = @id AND sequence = 1", id), Is.EqualTo("change:Submitted"));
        Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM accused_identifiers WHERE report_id = @id", id), Is.GreaterThan(0),
            "the accused's keyed hashes are computed at intake");
        Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM report_accused WHERE report_id = @id", id), Is.EqualTo(1));
        Assert.That((await AuditVerifier.VerifyAsync(host.ConnectionString, CancellationToken.None)).FirstBroken, Is.Null);

        // The retry replays the first answer (a second report would have a code of its own).
        var again = await (await Send()).Read<ReportReceipt>(HttpStatusCode.Created);
        Assert.That(again.ReceiptCode, Is.EqualTo(receipt.ReceiptCode));
    }

    private static byte[] RandomHash() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>The mapped properties whose values differ, by the EF model (collections compared element by element).</summary>
    private static List<string> Differences<T>(IModel model, T a, T b, params string[] except) where T : class
    {
        var differing = new List<string>();
        foreach (var p in model.FindEntityType(typeof(T))!.GetProperties().Where(p => !except.Contains(p.Name)))
        {
            var (x, y) = (p.PropertyInfo!.GetValue(a), p.PropertyInfo!.GetValue(b));
            var same = x is System.Collections.IEnumerable ex && y is System.Collections.IEnumerable ey && x is not string
                ? ex.Cast<object>().SequenceEqual(ey.Cast<object>())
                : Equals(x, y);
            if (!same) differing.Add($"{p.Name}: {x} / {y}");
        }
        return differing;
    }
}
