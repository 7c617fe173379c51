using CaseHandling.Benchmarks;
using CaseHandling.Benchmarks.Cluster;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The topology of deploy/cluster.sh, small (docs/CLUSTER.md): Debian's nginx with TLS in front of two API instances, two
/// workers, one database. Needs nginx (deploy/test.sh installs it); without it the test is inconclusive, not passed.
/// Alone: it starts five processes, kills one and loads the machine on purpose. It asserts the promises, not speed.
/// </summary>
[NonParallelizable]
public sealed class ClusterTests
{
    [Test]
    public async Task Cluster_TwoApiInstancesBehindNginx_SignInShared_SettingsReachBoth_DutiesOnce_NoAcknowledgedReportLostWhenOneIsKilled()
    {
        Assume.That(NginxProcess.IsInstalled, "nginx is needed (deploy/lib/nginx.sh installs it)");
        ServerProcess.EchoErrors = false;
        try
        {
            var result = await ClusterScenario.RunAsync(TestDatabase.AdminConnectionString,
                new ClusterOptions(Duties: 200, Clients: 6, IntakeSeconds: 2, KillSeconds: 12, WithoutKeyRound: false), TestContext.Out);
            TestContext.Out.WriteLine(result.ToString());
            Assert.That(result.Broken, Is.Empty, result.ToString());
            Assert.That(result.Figures, Does.Contain("sign-in shared").And.Contain("lost 0"));
        }
        finally
        {
            ServerProcess.EchoErrors = true;
        }
    }
}
