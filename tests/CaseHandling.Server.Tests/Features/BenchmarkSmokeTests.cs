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
