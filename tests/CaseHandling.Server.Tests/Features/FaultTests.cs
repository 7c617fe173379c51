using CaseHandling.Benchmarks;
using CaseHandling.Benchmarks.Faults;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The fault harness's scenarios (docs/RELIABILITY.md), each small: the app as its own process on loopback, killed, its
/// database stopped (a cluster of the test's own, never the shared one), its mail server taken away, its worker killed,
/// a short soak, a backup restored onto fresh databases. Each asserts the scenario's promises (no figure of speed:
/// the machine is shared), and names what broke. Alone: they start and kill processes and load the machine on purpose.
/// </summary>
[NonParallelizable]
public sealed class FaultTests
{
    [OneTimeSetUp]
    public void Quiet() => ServerProcess.EchoErrors = false;

    [OneTimeTearDown]
    public void Loud() => ServerProcess.EchoErrors = true;

    private static void AssertKept(FaultResult result)
    {
        TestContext.Out.WriteLine(result.ToString());
        Assert.That(result.Broken, Is.Empty, result.ToString());
    }

    [Test]
    public async Task CrashDuringIntake_KilledThreeTimes_EveryAcknowledgedReportIsThereWhole()
    {
        var result = await CrashDuringIntake.RunAsync(TestDatabase.AdminConnectionString, clients: 8, kills: 3, TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("lost 0"));
    }

    /// <summary>While the database is away every request answers 503 with Retry-After (a calm page on the pages), none 500, and it recovers by itself.</summary>
    [Test]
    public async Task DatabaseOutage_StoppedImmediately_503WithRetryAfterCalmPagesAndRecoveryByItself()
    {
        Assume.That(PgCluster.FindBin(), Is.Not.Null, "PostgreSQL's server binaries are needed for a cluster of the test's own");
        var result = await DatabaseOutage.RunAsync(clients: 4, outage: TimeSpan.FromSeconds(4), TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("× 503 with Retry-After").And.Contain("0 other"));
    }

    /// <summary>A mail sink that is down then up gets each mail once, with back-off; a mail refused for good (550) is not retried but shown to the administrator.</summary>
    [Test]
    public async Task MailOutage_SinkDownThenUp_EachMailOnceWithBackOff_RefusedMailShownToTheAdministrator()
    {
        var result = await MailOutage.RunAsync(TestDatabase.AdminConnectionString, reports: 10, outage: TimeSpan.FromSeconds(5), TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("0 twice, 0 missing").And.Contain("shown to the administrator yes"));
    }

    [Test]
    public async Task WorkerCrash_KilledMidSweepThenTwoWorkers_EachEscalationRecordedAndMailedOnce()
    {
        var result = await WorkerCrash.RunAsync(TestDatabase.AdminConnectionString, duties: 600, TestContext.Out);
        AssertKept(result);
    }

    [Test]
    public async Task Soak_HalfAMinuteOfMixedLoad_NoErrorAndMemorySampled()
    {
        var chart = Path.Combine(Path.GetTempPath(), $"casehandling-soak-{Guid.NewGuid():N}.png");
        try
        {
            var (result, figures) = await Soak.RunAsync(TestDatabase.AdminConnectionString, TimeSpan.FromSeconds(30), TestContext.Out, chart);
            AssertKept(result);
            Assert.That(figures.Requests, Is.GreaterThan(0));
            Assert.That(figures.RssEndMb, Is.GreaterThan(0), "the app's memory was sampled");
            Assert.That(new FileInfo(chart).Length, Is.GreaterThan(1000), "the memory plot was drawn");
        }
        finally
        {
            File.Delete(chart);
        }
    }

    [Test]
    public async Task BackupRestore_DumpedAndRestoredOntoFreshDatabases_ContentOpensAuditVerifiesErasedStaysErased()
    {
        var result = await BackupRestore.RunAsync(TestDatabase.AdminConnectionString, reports: 6, cases: 3, TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("erased report still erased: yes"));
    }

    [Test]
    public async Task ConcurrentSteps_PairsAtOnceOnTwelveCases_OneWinsOne409_DutiesOfTheWinnerAlone()
    {
        var result = await Contention.StepsAsync(TestDatabase.AdminConnectionString, cases: 12, TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("12 one-wins-one-409; conflicting steps at once: 12 one-wins-one-409, 12 with the winner's duties alone"));
    }

    [Test]
    public async Task Retries_KilledTwiceUnderRetryingClients_EachIdempotencyKeyMakesOneCaseOrReport()
    {
        var result = await Contention.RetriesAsync(TestDatabase.AdminConnectionString, clients: 6, kills: 2, TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("(0 twice)"));
    }

    [Test]
    public async Task AnswerWindow_KilledWhileTheAnswerIsSaved_TheRetryGetsAnAnswerAndOneReportOrCaseIsStored()
    {
        // The moment a kill left a key "in progress" for 24 hours (the change committed, its answer not yet saved), aimed at.
        var result = await Contention.AnswerWindowAsync(TestDatabase.AdminConnectionString, rounds: 1, TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("retries answered 2 of 2"));
    }

    [Test]
    public async Task Fairness_OneAddressFloods_OrdinaryReportersOnOtherAddressesAreNeverRefused()
    {
        var result = await Contention.FairnessAsync(TestDatabase.AdminConnectionString, reporters: 4, TimeSpan.FromSeconds(10), TestContext.Out);
        AssertKept(result);
        Assert.That(result.Figures, Does.Contain("4 ordinary reporters on other addresses: 24 requests, 0 refused, 0 failed"));
    }
}
