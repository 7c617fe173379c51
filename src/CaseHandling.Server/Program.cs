using System.Text.Json.Serialization;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features;
using CaseHandling.Server.Features.Demo;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Errors;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Jobs;
using Hangfire;
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

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStaticFiles();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
var jobsMode = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
if (jobsMode.ServesHttp)
{
    app.MapOpenApi().AllowAnonymous();
    app.MapCaseHandling();
    app.MapRazorPages();
}
// The Hangfire dashboard shows job state and arguments (ids only): administrators only.
app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdministratorDashboardFilter()], DisplayStorageConnectionString = false },
        app.Services.GetRequiredService<JobStorage>())
    .RequireAuthorization(Policies.Administrator);
if (jobsMode.RunsServer) app.Services.RegisterRecurringJobs(jobsMode);
app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"CaseHandling is running at {string.Join(", ", app.Urls)} (OpenAPI: /openapi/v1.json). Ctrl-C stops it."));

await app.RunAsync();
return 0;

/// <summary>The host's wiring, shared with the tests.</summary>
public partial class Program;

public static class HostSetup
{
    public static IServiceCollection AddCaseHandling(this IServiceCollection services, IConfiguration config)
    {
        var connectionString = config.GetConnectionString("CaseHandling")
            ?? throw new InvalidOperationException("ConnectionStrings:CaseHandling is not set.");
        // Pooled: a context per request without building one each time (docs/PERFORMANCE.md).
        // Encryption at rest (docs/ENCRYPTION.md): the interceptor seals and opens content with per-subject data keys.
        services.Configure<EncryptionOptions>(config.GetSection(EncryptionOptions.Section));
        services.AddSingleton<KeyRing>();
        // The data keys live in a database of their own, so that a copy of the case database holds no key (docs/ENCRYPTION.md).
        var keyStore = config.GetConnectionString("KeyStore") is { Length: > 0 } ks ? ks : connectionString;
        services.AddSingleton(sp => new DataKeys(sp.GetRequiredService<KeyRing>(), sp.GetRequiredService<TimeProvider>(), keyStore));
        services.AddScoped<PlaintextSealer>();
        services.AddDbContextPool<CaseHandlingDbContext>(o =>
            CaseHandlingDbContext.Configure(o, connectionString).AddInterceptors(ContentEncryptionInterceptor.Instance));
        services.AddMemoryCache();
        // Every instance signs and reads the same tokens and cookies, and they survive a restart.
        services.AddDataProtection().SetApplicationName("CaseHandling").PersistKeysToDbContext<CaseHandlingDbContext>();
        services.AddSingleton<InstitutionDirectory>();

        // The rules: configuration overlaid with the administrator's changes; validated at start-up (a bad setting names itself).
        (config.GetSection(RulesOptions.Section).Get<RulesOptions>() ?? new RulesOptions()).Build();
        services.AddSingleton<RulesProvider>();
        services.AddScoped(sp => sp.GetRequiredService<RulesProvider>().Current);
        services.AddHostedService<RulesRefresher>();
        var security = config.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        services.AddSingleton(security);
        services.AddSingleton(TimeProvider.System);

        services.AddIdentityApiEndpoints<StaffUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CaseHandlingDbContext>()
            .AddClaimsPrincipalFactory<ClaimsFactory>();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.HttpOnly = true;
            // Production (Security:RequireHttps): Secure always; locally over http the cookie follows the request.
            o.Cookie.SecurePolicy = security.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // An API answers 401/403; it does not redirect to a login page.
            o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
            o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
        });

        services.AddAuthorization(o =>
        {
            // Every endpoint names a policy; anything unnamed needs a signed-in user.
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            void Role(string name, params string[] roles) => o.AddPolicy(name, p =>
            {
                p.RequireAuthenticatedUser().RequireRole(roles);
                // Production setting: every role must have signed in with TOTP ("amr" = "mfa", set by Identity).
                if (security.RequireTwoFactor) p.RequireClaim("amr", "mfa");
            });
            Role(Policies.Board, Roles.Board);
            Role(Policies.Inspector, Roles.Vertrouwensinspecteur);
            Role(Policies.CaseReader, Roles.Board, Roles.Vertrouwensinspecteur);
            Role(Policies.StaffMember, Roles.StaffMember);
            Role(Policies.MeldpuntHandler, Roles.MeldpuntHandler);
            Role(Policies.Administrator, Roles.Administrator);
            o.AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser());
        });

        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUserAccessor>();
        services.AddScoped<CaseStore>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<DemoSeeder>();

        services.AddMediator((MediatorOptions o) =>
        {
            o.ServiceLifetime = ServiceLifetime.Scoped;
            o.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });

        var reporterLimits = config.GetSection(ReporterRateLimits.Section).Get<ReporterRateLimits>() ?? new ReporterRateLimits();
        services.AddRateLimiter(o => ReporterRateLimits.Configure(o, reporterLimits));

        services.AddCaseHandlingJobs(config, connectionString);

        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();
        services.AddRazorPages();
        return services;
    }

    /// <summary>Applies migrations (when configured), creates the bootstrap administrator, loads demo data (when configured).</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var config = app.Configuration;
        // Without a key-encryption key nothing can be sealed: fail at start-up, naming the setting.
        app.Services.GetRequiredService<KeyRing>().Current();
        await app.Services.GetRequiredService<DataKeys>().EnsureSchemaAsync(CancellationToken.None);
        if (string.IsNullOrWhiteSpace(config.GetConnectionString("KeyStore")))
            app.Logger.LogWarning("ConnectionStrings:KeyStore is not set: the data keys are kept in the case database, so a copy of it holds both (docs/ENCRYPTION.md)");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseHandlingDbContext>();
        if (config.GetValue<bool>("Database:MigrateOnStartup"))
            await db.Database.MigrateAsync();

        if ((await db.Database.GetPendingMigrationsAsync()).Any())
            app.Logger.LogWarning("The database has pending migrations: apply them (deploy/migrations.sh) or set Database:MigrateOnStartup=true");
        else
            await app.Services.GetRequiredService<RulesProvider>().ReloadAsync(CancellationToken.None);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (config["Bootstrap:AdminEmail"] is { Length: > 0 } email && config["Bootstrap:AdminPassword"] is { Length: > 0 } password
            && await users.FindByEmailAsync(email) is null)
        {
            var admin = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Beheerder" };
            var created = await users.CreateAsync(admin, password);
            if (!created.Succeeded) throw new InvalidOperationException("Bootstrap administrator: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(admin, Roles.Administrator);
        }

        if (config.GetValue<bool>("Demo:Seed"))
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None);
    }
}
