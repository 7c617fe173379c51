using CaseHandling.Server.Tests.Infrastructure;

/// <summary>
/// At the end of the run: stop every host and drop the run's databases. Outside any namespace, because NUnit runs a
/// set-up fixture only around the tests of its own namespace and those below it: inside a namespace it would run around
/// no other fixture, and every run would leave its databases behind for deploy/test.sh's sweep.
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
