using System.Text.Json.Serialization;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Errors;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Operations;
using Hangfire;
using Scalar.AspNetCore;
using CaseHandling.Server.Infrastructure.OpenApi;
using CaseHandling.Server.Infrastructure.Localization;
using Mediator;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

// `CaseHandling.Server verify-audit`: checks every audit chain and names the first broken link (exit 1).
if (args.FirstOrDefault() == "verify-audit")
{
    var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables()
        .AddCommandLine(args.Skip(1).ToArray()).Build();
    var outcome = await AuditVerifier.VerifyAsync(configuration.GetConnectionString("CaseHandling")!, CancellationToken.None);
    Console.WriteLine(outcome.FirstBroken is null
        ? $"audit trail intact: {outcome.Entries} entries in {outcome.Subjects} chains"
        : $"audit trail BROKEN at {outcome.FirstBroken} (checked {outcome.Entries} entries)");
    return outcome.FirstBroken is null ? 0 : 1;
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCaseHandling(builder.Configuration);
builder.Services.AddCaseHandlingFeatures();
// Telemetry:Prometheus:Port: the scrape is served on a management port of its own, besides the app's address.
builder.ListenOnManagementPort();

var app = builder.Build();
await app.PrepareDatabaseAsync();

// Behind a trusted reverse proxy the client's address is its X-Forwarded-For (rate limits per address); else never.
app.UseTrustedForwardedHeaders(app.Configuration);
// The Prometheus scrape, only on the management port (docs/OPERATIONS.md).
app.UseCaseHandlingMetricsEndpoint();
app.UseSecurityHeaders();
app.UseExceptionHandler();
// Hosting:Surfaces: the reporter's and the staff's faces, one process each or both in one (Infrastructure/Hosting/Surfaces.cs).
var surface = app.Services.GetRequiredService<HostedSurface>().Value;
app.UseSurface(surface);
app.UseStaticFiles();
// An error status without a body: ProblemDetails from the API and the staff pages' plain answer as before; on the
// reporter's pages, a page in the reporter's language (Infrastructure/Errors/PlainPage.cs).
app.UseStatusCodePages();
// Inside the general one, so that it answers first (the outer one leaves a response with a body alone).
app.UseWhen(ctx => Surfaces.Of(ctx.Request.Path) == Surface.Reporter && !PortalPaths.IsApi(ctx.Request.Path), reporter => reporter.UseReporterStatusPages());
// Pages answer in the language asked for (Dutch by default); the API's answers do not depend on it.
app.UseWhen(ctx => !PortalPaths.IsApi(ctx.Request.Path), pages => pages.UseRequestLocalization());
// The reporter surface reads no sign-in: no staff cookie or token is ever looked at there.
if (surface != Surface.Reporter) app.UseAuthentication();
// A bearer token is held against its account (disabled, or its security stamp renewed) at most a minute after the fact,
// as the cookie is (docs/SIGN-IN.md, "Sessions end").
app.UseMiddleware<BearerStampCheck>();
app.UseAuthorization();
app.UseRateLimiter();
// A repeated command with the same Idempotency-Key gets the first answer; nothing is done twice.
app.UseMiddleware<CaseHandling.Server.Infrastructure.Http.IdempotencyMiddleware>();
// /health/live and /health/ready: anonymous, up or down only; in every Jobs:Mode, so that workers are probed too.
app.MapCaseHandlingHealth();
var jobsMode = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
if (jobsMode.ServesHttp)
{
    app.MapOpenApi().AllowAnonymous();
    // The API reference for people (Scalar, served from this app: no fonts, scripts or telemetry from elsewhere). Open to
    // every signed-in account; to everyone only where ApiReference:OpenToEveryone says so (by default in Development).
    // Per request: Dutch by default, English with ?lang=en or the staff member's remembered choice (a staff page);
    // the portal's colours and font (wwwroot/css/api-reference.css, embedded in the assembly, handed to Scalar as its custom CSS).
    using var cssStream = typeof(ApiReference).Assembly.GetManifestResourceStream("api-reference.css")
        ?? throw new InvalidOperationException("the API reference's styles are not embedded");
    var referenceCss = new StreamReader(cssStream).ReadToEnd();
    var reference = app.MapScalarApiReference(ApiReference.Path, (o, http) => ApiReference.Configure(o.DisableDefaultFonts().DisableTelemetry()
        .DisableAgent().DisableMcp(), http, referenceCss)).WithMetadata(new StaffPageAttribute());
    if (app.Configuration.GetValue("ApiReference:OpenToEveryone", app.Environment.IsDevelopment())) reference.AllowAnonymous();
    else reference.RequireAuthorization(Policies.SignedIn);
    app.MapCaseHandling();
    app.MapRazorPages();
}
// The Hangfire dashboard shows job state and arguments (ids only): administrators only.
app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdministratorDashboardFilter()], DisplayStorageConnectionString = false },
        app.Services.GetRequiredService<JobStorage>())
    .RequireAuthorization(Policies.Administrator);
if (jobsMode.RunsServer) app.Services.RegisterRecurringJobs(jobsMode);
app.Lifetime.ApplicationStarted.Register(() =>
{
    var url = app.Urls.FirstOrDefault()?.TrimEnd('/') ?? "";
    Console.WriteLine($"CaseHandling is running at {string.Join(", ", app.Urls)}. Ctrl-C stops it.");
    Console.WriteLine($"  reporters (meld- en steunpunt): {url}/");
    Console.WriteLine($"  staff portal, sign in with a demo account: {url}{PortalPaths.SignIn}");
    Console.WriteLine($"  API: {url}/api (OpenAPI: {url}/openapi/v1.json; reference: {url}{ApiReference.Path}/v1)");
});

await app.RunAsync();
return 0;

/// <summary>The host's wiring, shared with the tests.</summary>
public partial class Program;
