using CaseHandling.Benchmarks;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>The benchmark code runs, tiny, so that it keeps working; its figures are not asserted (docs/PERFORMANCE.md has them).</summary>
public sealed class BenchmarkSmokeTests
{
    [Test]
    public async Task SweepBenchmark_TinySizes_EscalatesEveryDueDuty()
    {
        var output = new StringWriter();
        var result = await SweepBenchmark.RunAsync(TestDatabase.AdminConnectionString, duties: 2_000, due: 100, output);
        Assert.That(result.Due, Is.EqualTo(100));
        Assert.That(result.Escalated, Is.EqualTo(100));
        Assert.That(output.ToString(), Does.Contain("empty sweep").And.Contain("full sweep"));
    }
}

/// <summary>
/// The load benchmark's code, tiny: the app as its own process, the ceiling, intake, seeding, queries, chart.
/// Alone: it starts and kills a server process (on a port it picks by releasing one), loads the machine on
/// purpose, and asserts that every request in its one-second windows succeeded.
/// </summary>
[NonParallelizable]
public sealed class LoadBenchmarkSmokeTests
{
    [Test]
    public async Task LoadBenchmark_TinySizes_MeasuresEveryPartAndDrawsTheChart()
    {
        var chart = Path.Combine(Path.GetTempPath(), $"casehandling-chart-{Guid.NewGuid():N}.png");
        var output = new StringWriter();
        var result = await LoadBenchmark.RunAsync(TestDatabase.AdminConnectionString, [1, 2], TimeSpan.FromSeconds(1), cases: 300, querySamples: 5, output, chart);
        try
        {
            Assert.That(result.Levels.Select(l => l.Concurrency), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(result.Levels.All(l => l.CeilingTps > 0 && l.IntakeRps > 0 && l.Errors == 0), output.ToString());
            Assert.That(result.Levels.All(l => l.ReferenceRps > 0), output.ToString(), "the intake's reference, a trivial EF endpoint, at each level");
            Assert.That(result.Cases, Is.GreaterThanOrEqualTo(300));
            Assert.That(result.Queries.Select(q => q.Samples), Is.All.EqualTo(5));
            Assert.That(result.Queries.Select(q => q.Name), Has.Exactly(7).StartsWith("page: "), "the portal's pages are measured too");
            Assert.That(result.Queries.Select(q => q.Name), Has.Some.Contains("/portaal/meldingen").And.Some.Contains("/api/meldpunt/reports"),
                "the meldpunt's inbox among the seeded reports");
            Assert.That(result.Queries.Select(q => q.Name), Has.Exactly(2).StartsWith("figures, "), "the monitoring figures, a board's and the country's");
            Assert.That(result.PeakMemoryMb, Is.GreaterThan(0));
            Assert.That(new FileInfo(chart).Length, Is.GreaterThan(1000), "a PNG was written");
        }
        finally
        {
            File.Delete(chart);
        }
    }
}
