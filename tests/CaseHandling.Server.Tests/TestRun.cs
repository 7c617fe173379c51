using CaseHandling.Server.Tests.Infrastructure;

/// <summary>
/// At the end of the run: stop every host and drop the run's databases (unless deploy/test.sh keeps them to run
/// `verify-audit` over each before it sweeps them: CASEHANDLING_KEEP_TEST_DATABASES). Outside any namespace, because NUnit runs a
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
            if (Environment.GetEnvironmentVariable("CASEHANDLING_KEEP_TEST_DATABASES") != "1") await TestDatabase.DropAllAsync();
        }
    }
}
