using CaseHandling.Server.Tests.Infrastructure;

/// <summary>
/// At the end of the run: stop every host and drop the run's databases. Outside any namespace, because NUnit runs a
/// set-up fixture only around the tests of its own namespace and those below it; in the Infrastructure namespace (where it
/// was) it ran around no test at all, and every run left its databases behind for deploy/test.sh's sweep.
/// </summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public async Task DropDatabases()
    {
        try
        {
            await TestHost.DisposeAllAsync();
        }
        finally
        {
            await TestDatabase.DropAllAsync();
        }
    }
}
