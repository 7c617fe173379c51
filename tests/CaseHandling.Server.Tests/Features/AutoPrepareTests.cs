using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The app's connections prepare the statements they repeat (Npgsql's automatic preparation, HostSetup.WithConnectionDefaults):
/// PostgreSQL then plans the intake's inserts once per connection, not once per report (docs/PERFORMANCE.md).
/// </summary>
public sealed class AutoPrepareTests
{
    [Test]
    public void ConnectionString_PreparesRepeatedStatements_UnlessTheOperatorSaysOtherwise()
    {
        var ours = new NpgsqlConnectionStringBuilder(HostSetup.WithConnectionDefaults("Host=db;Database=casehandling;Username=app"));
        var theirs = new NpgsqlConnectionStringBuilder(HostSetup.WithConnectionDefaults("Host=db;Database=casehandling;Username=app;Max Auto Prepare=5;Maximum Pool Size=10"));
        Assert.Multiple(() =>
        {
            Assert.That(ours.MaxAutoPrepare, Is.EqualTo(HostSetup.AutoPrepared));
            Assert.That(ours.AutoPrepareMinUsages, Is.EqualTo(2));
            Assert.That(ours.MaxPoolSize, Is.EqualTo(64));
            Assert.That(theirs.MaxAutoPrepare, Is.EqualTo(5), "the operator's setting wins");
            Assert.That(theirs.MaxPoolSize, Is.EqualTo(10));
        });
    }

    [Test]
    public void ConnectionString_ThePoolSkipsTheSessionReset_ButNotForHangfire()
    {
        var ours = new NpgsqlConnectionStringBuilder(HostSetup.WithConnectionDefaults("Host=db;Database=casehandling;Username=app"));
        var jobs = new NpgsqlConnectionStringBuilder(HostSetup.ForJobs(ours.ConnectionString));
        Assert.Multiple(() =>
        {
            Assert.That(ours.NoResetOnClose, Is.True, "the app's connections come back from the pool without seven reset statements");
            Assert.That(jobs.NoResetOnClose, Is.False, "Hangfire's storage keeps the reset");
            Assert.That(jobs.MaxAutoPrepare, Is.EqualTo(HostSetup.AutoPrepared), "and the other defaults");
        });
    }

    [Test]
    public async Task Intake_ThreeReportsOnOneConnection_TheReportInsertIsPreparedOnIt()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var scope = host.Services.CreateAsyncScope();
        var rules = scope.ServiceProvider.GetRequiredService<DutyRules>();
        var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
        // Held open, so that the three batches and the question below run on one physical connection.
        await db.Database.OpenConnectionAsync();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var report = Report.Submit(new ReportInput(ReporterKind.Student, Anonymous: true, null, null, null, IncidentType.Zedenmisdrijf,
                        "Wat er gebeurde", "gisteren", w.InstitutionId, null, AccusedRole.MetTakenBelastPersoon, VictimWho.SomeoneElse,
                        VictimAgeAnswer.Minor, Destination.MeldpuntOnly),
                    System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), rules, now);
                await scope.ServiceProvider.GetRequiredService<InsertBatch>().WriteAsync([report], CancellationToken.None);
            }
            var prepared = await db.Database.SqlQueryRaw<string>(
                    "SELECT statement AS \"Value\" FROM pg_prepared_statements WHERE NOT from_sql").ToListAsync();
            Assert.That(prepared, Has.Some.StartsWith("INSERT INTO \"reports\""), "the report's insert is prepared on the connection");
            Assert.That(prepared, Has.Some.StartsWith("INSERT INTO \"duties\""), "and its duty's");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
