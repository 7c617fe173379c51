using System.Diagnostics;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests;

/// <summary>
/// At the end of the run: stops the hosts and drops the databases the run made. In this namespace, so that it
/// covers every fixture (a set-up fixture applies to its own namespace and those below it).
/// </summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public async Task DropDatabases()
    {
        var watch = Stopwatch.StartNew();
        await TestHost.DisposeAllAsync();
        var left = await TestDatabase.DropAllAsync();
        TestContext.Progress.WriteLine($"Stopped the hosts and dropped the test databases in {watch.Elapsed.TotalSeconds:0.0} s" +
                                       (left.Count > 0 ? $"; could not drop {string.Join(", ", left)}" : ""));
    }
}
