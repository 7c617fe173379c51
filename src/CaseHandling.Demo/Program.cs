using CaseHandling.Server.Infrastructure.Hosting;

namespace CaseHandling.Demo;

/// <summary>
/// `dotnet run --project src/CaseHandling.Demo -- --contentRoot src/CaseHandling.Server &lt;the app's settings&gt;`: prepares the
/// database as the app does at start (migrations when Database:MigrateOnStartup, the first administrator), loads the demo
/// data when the database has no institution yet, lists the demo accounts, and exits. deploy/run.sh runs it before the app.
/// </summary>
public static class DemoProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddCaseHandling(builder.Configuration);
        CaseHandling.Server.Features.FeatureServices.AddCaseHandlingFeatures(builder.Services);
        builder.Services.AddScoped<DemoSeeder>();
        await using var app = builder.Build();
        await app.PrepareDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None);
        return 0;
    }
}
