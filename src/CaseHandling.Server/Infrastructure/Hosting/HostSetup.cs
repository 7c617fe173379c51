using System.Text.Json.Serialization;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Errors;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Http;
using CaseHandling.Server.Infrastructure.Jobs;
using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

using Microsoft.AspNetCore.Authentication.Cookies;

namespace CaseHandling.Server.Infrastructure.Hosting;

/// <summary>The host's wiring, shared with the tests: the core, the API and the pages, each on its own.</summary>
public static class HostSetup
{
    /// <summary>Everything: the core, the JSON API and the pages, as one process serves them.</summary>
    public static IServiceCollection AddCaseHandling(this IServiceCollection services, IConfiguration config) =>
        services.AddCaseHandlingCore(config).AddCaseHandlingApi(config).AddCaseHandlingPortal(config);

    /// <summary>
    /// The core that both front ends share: the database and its keys, the rules, accounts and policies, the use cases
    /// (Mediator with validation and the unit of work) and the jobs. No endpoint and no page.
    /// </summary>
    public static IServiceCollection AddCaseHandlingCore(this IServiceCollection services, IConfiguration config)
    {
        var connectionString = WithConnectionDefaults(config.GetConnectionString("CaseHandling")
            ?? throw new InvalidOperationException("ConnectionStrings:CaseHandling is not set."));
        // Pooled: a context per request without building one each time (docs/PERFORMANCE.md).
        // Encryption at rest (docs/ENCRYPTION.md): the interceptor seals and opens content with per-subject data keys.
        services.Configure<EncryptionOptions>(config.GetSection(EncryptionOptions.Section));
        services.AddSingleton<KeyRing>();
        // The data keys live in a database of their own, so that a copy of the case database holds no key (docs/ENCRYPTION.md).
        var keyStore = config.GetConnectionString("KeyStore") is { Length: > 0 } ks ? ks : connectionString;
        var requirePreloaded = config.GetValue<bool>($"{EncryptionOptions.Section}:{nameof(EncryptionOptions.RequirePreloadedKeys)}");
        services.AddSingleton(_ => new KeyStoreDatabase(keyStore));
        services.AddSingleton<KeyWriter>();
        services.AddSingleton<KeyReserve>();
        services.AddSingleton<KekRotation>();
        services.AddSingleton(sp => new DataKeys(sp.GetRequiredService<KeyRing>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<KeyStoreDatabase>(), sp.GetRequiredService<KeyWriter>(), sp.GetRequiredService<KeyReserve>(),
            sp.GetRequiredService<IOptions<EncryptionOptions>>().Value.KeyCacheSize)
            { RequirePreloaded = requirePreloaded });
        services.AddScoped<PlaintextSealer>();
        services.AddDbContextPool<CaseHandlingDbContext>(o =>
            CaseHandlingDbContext.Configure(o, connectionString).AddInterceptors(ContentEncryptionInterceptor.Instance));
        services.AddMemoryCache();
        // Every instance signs and reads the same tokens and cookies, and they survive a restart.
        // Their XML lies in the case database, so each key is sealed with the key-encryption key (docs/ENCRYPTION.md).
        services.AddDataProtection().SetApplicationName("CaseHandling").PersistKeysToDbContext<CaseHandlingDbContext>();
        services.AddDataProtectionKeySealing();
        services.AddSingleton<InstitutionDirectory>();
        // Repeat-accused matching (docs/MATCHING.md): the matching key, like the key-encryption key, is held outside the database.
        services.Configure<Matching.MatchingOptions>(config.GetSection(Matching.MatchingOptions.Section));
        services.AddSingleton<Matching.MatchingKeys>();
        services.AddSingleton<ReceiptSigner>();
        // Evidence (docs/EVIDENCE.md): the files' sealed copies, their limits, and one cleaning per core at a time.
        services.AddScoped<Infrastructure.Evidence.EvidenceStore>();
        services.AddSingleton<Infrastructure.Evidence.CleaningGate>();
        services.AddOptions<Infrastructure.Evidence.EvidenceOptions>().Bind(config.GetSection(Infrastructure.Evidence.EvidenceOptions.Section));
        services.AddScoped<Matching.MatchNotice>();
        services.AddSingleton<Mail.ReplyNotice>();

        // The rules: configuration overlaid with the administrator's changes; validated at start-up (a bad setting names itself).
        (config.GetSection(RulesOptions.Section).Get<RulesOptions>() ?? new RulesOptions()).Build();
        services.AddSingleton<RulesProvider>();
        services.AddScoped(sp => sp.GetRequiredService<RulesProvider>().Current);
        services.AddHostedService<RulesRefresher>();
        // Security:* is bound once, here; whoever needs it asks for IOptions<SecurityOptions> (or the plain object).
        services.AddOptions<SecurityOptions>().Bind(config.GetSection(SecurityOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SecurityOptions>>().Value);
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
            .AddClaimsPrincipalFactory<ClaimsFactory>()
            .AddSignInManager<StaffSignInManager>();
        // A session is checked against its account's security stamp every minute (Identity's default is 30): an account
        // the administrator disabled, a reset two-factor enrolment or a changed password end its other sessions within a
        // minute, at the cost of one lookup of the account per session per minute.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // The check rebuilds the session's principal from the account, which would drop how the person signed in:
            // "amr=mfa" (TOTP, or a provider's second factor) and the provider. Security:RequireTwoFactor's policies read
            // "amr", so without this a two-factor session would lose its access a minute after sign-in.
            o.OnRefreshingPrincipal = ctx =>
            {
                if (ctx.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity && ctx.CurrentPrincipal is { } current)
                    foreach (var claim in current.Claims.Where(c => c.Type is "amr" or System.Security.Claims.ClaimTypes.AuthenticationMethod))
                        if (!identity.HasClaim(claim.Type, claim.Value)) identity.AddClaim(new System.Security.Claims.Claim(claim.Type, claim.Value));
                return Task.CompletedTask;
            };
        });
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<SecurityOptions>>((o, securityOptions) =>
        {
            var security = securityOptions.Value;
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
            Role(Policies.Figures, Roles.Board, Roles.Administrator);
            Role(Policies.IncidentRegister, Roles.Board, Roles.StaffMember);
            Role(Policies.Inspectie, Roles.Inspectie);
            o.AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser());
        });

        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUserAccessor>();
        services.AddScoped<CaseStore>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<InsertBatch>();
        // The intake's transactions, shared between the requests that arrive together. Four under way at once did best on
        // two cores (two and eight did worse: docs/PERFORMANCE.md); more cores or a remote PostgreSQL may want more.
        var writers = config.GetValue("GroupCommit:Writers", 4);
        if (writers < 1) throw new InvalidOperationException("GroupCommit:Writers must be 1 or more.");
        services.AddSingleton(_ => new GroupCommit(connectionString, writers));
        // Idempotency-Key (Infrastructure/Http/Idempotency.cs): the request's key, seen by the unit of work, and the kept answers.
        services.AddScoped<IdempotencyScope>();
        services.AddScoped<IdempotencyStore>();
        services.AddScoped<FormOnce>();

        services.AddMediator((MediatorOptions o) =>
        {
            o.ServiceLifetime = ServiceLifetime.Scoped;
            // Telemetry outermost: it counts what was accepted, after validation and the commit.
            o.PipelineBehaviors = [typeof(Operations.TelemetryBehavior<,>), typeof(ValidationBehavior<,>), typeof(UnitOfWorkBehavior<,>)];
        });

        // The reporter's rate limits: the reporter's pages and the reporter's API both name these policies.
        var reporterLimits = config.GetSection(ReporterRateLimits.Section).Get<ReporterRateLimits>() ?? new ReporterRateLimits();
        services.AddRateLimiter(o => ReporterRateLimits.Configure(o, reporterLimits));
        services.AddSingleton<AddressBuckets>();
        // Hosting:Surfaces, read (and a misspelt value refused) once, at start.
        services.AddSingleton(new HostedSurface(Surfaces.Read(config)));

        services.AddCaseHandlingJobs(config, ForJobs(connectionString));
        // Health endpoints, traces and metrics (docs/OPERATIONS.md).
        Operations.Health.AddCaseHandlingHealth(services);
        Operations.Telemetry.AddCaseHandlingTelemetry(services, config);

        return services;
    }

    /// <summary>The JSON API: ProblemDetails for every failure, enums as strings, OpenAPI.</summary>
    public static IServiceCollection AddCaseHandlingApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddProblemDetails();
        // The database away (a restart, a failover): 503 with Retry-After, or a calm page; never a 500 (docs/RELIABILITY.md).
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<UnstorableTextHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new Http.StrictEnumConverter()));
        services.AddOpenApi(Infrastructure.OpenApi.OpenApiDocumentation.Configure);
        return services;
    }

    /// <summary>
    /// The pages: Razor Pages, and the sign-in cookie, whose answers depend on who asks: the API answers 401/403, a page
    /// sends the person to sign in (and back afterwards).
    /// </summary>
    public static IServiceCollection AddCaseHandlingPortal(this IServiceCollection services, IConfiguration config)
    {
        services.AddRazorPages();
        // Federated sign-in for staff (docs/SIGN-IN.md): one OpenID Connect scheme per configured provider.
        services.AddFederatedSignIn(config);
        // Security:RequireTwoFactor on the pages: a staff member without TOTP is sent to enrol first.
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.Filters.Add<TwoFactorEnrolmentFilter>());
        services.AddLocalization();
        services.AddSingleton<Infrastructure.Localization.Texts>();
        // Arabic, Ukrainian and Turkish written as themselves, not as numeric character references (the default encoder
        // passes Basic Latin only): the pages stay readable and small. What HTML gives meaning to is still encoded.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.Configure<Microsoft.AspNetCore.Builder.RequestLocalizationOptions>(Infrastructure.Localization.Languages.Configure);
        // Identity's combined scheme asks the bearer handler to challenge (a bare 401). A page is not the API: there the
        // cookie handler challenges, which sends the browser to sign in. Who is signed in is still read from either.
        services.Configure<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions>("Identity.BearerAndApplication", o => // IdentityConstants.BearerAndApplicationScheme (internal)
            o.ForwardDefaultSelector = ctx => PortalPaths.IsApi(ctx.Request.Path) ? null : IdentityConstants.ApplicationScheme);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<SecurityOptions>>((o, securityOptions) =>
        {
            var security = securityOptions.Value;
            o.Cookie.HttpOnly = true;
            // Production (Security:RequireHttps): Secure always; locally over http the cookie follows the request.
            o.Cookie.SecurePolicy = security.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = PortalPaths.SignIn;
            o.AccessDeniedPath = PortalPaths.AccessDenied;
            // The API answers 401/403 and never redirects; a page (and the Hangfire dashboard) sends the browser to sign in.
            o.Events.OnRedirectToLogin = ctx => Answer(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Answer(ctx, StatusCodes.Status403Forbidden);
            // Idle expiry (sliding) and the absolute limit (Security:IdleTimeoutMinutes, Security:AbsoluteSessionHours).
            SessionLimits.Apply(o, security);
        });

        return services;
    }

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        if (PortalPaths.IsApi(ctx.Request.Path)) ctx.Response.StatusCode = apiStatus;
        // Nothing lives at this address (a mistyped URL, the browser asking for /favicon.ico): a plain 404, not the
        // sign-in page, whose form would give a reporter's browser an anti-forgery cookie.
        else if (ctx.HttpContext.GetEndpoint() is null) ctx.Response.StatusCode = StatusCodes.Status404NotFound;
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A burst of requests waits for a pooled connection instead of opening more than the server allows: PostgreSQL's
    /// default max_connections is 100, and Npgsql's default pool is as large, before the key store and the jobs take
    /// theirs. A Maximum Pool Size in the connection string wins.
    /// <para>
    /// Statements used twice on a connection are prepared on it (Npgsql's automatic preparation; off by default), so
    /// PostgreSQL parses and plans the intake's inserts once per connection instead of once per report. That cut
    /// PostgreSQL's CPU time per accepted report by about 40 % (docs/PERFORMANCE.md). Prepared statements outlive the pool's reset, and
    /// PostgreSQL re-plans them when a migration changes a table; only a change to a statement's result columns would
    /// fail it once, and EF names every column it reads, so an added column does not. A Max Auto Prepare in the
    /// connection string wins.
    /// </para>
    /// <para>
    /// A connection taken from the pool is not reset (No Reset On Close): without it Npgsql runs seven statements (RESET ALL,
    /// UNLISTEN *, pg_advisory_unlock_all() and the rest) before the first statement of every request, and PostgreSQL's CPU
    /// time per accepted report fell from 0.37–0.38 to 0.28–0.32 ms without them (cores shared) (docs/PERFORMANCE.md). Safe because the app
    /// keeps no state in a session: its settings are transaction-local (set_config(..., true)), it takes no session
    /// advisory lock, listens to nothing and makes no temporary table; an open transaction is still rolled back when
    /// a connection goes back to the pool, reset or not. Hangfire's storage is a library whose use of the session is not
    /// ours to promise, so it gets the connection reset as before (<see cref="ForJobs"/>), on a pool of its own.
    /// </para>
    /// </summary>
    internal static string WithConnectionDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var defaults = new Npgsql.NpgsqlConnectionStringBuilder();
        if (builder.MaxPoolSize == defaults.MaxPoolSize) builder.MaxPoolSize = 64;
        if (builder.MaxAutoPrepare == defaults.MaxAutoPrepare)
        {
            builder.MaxAutoPrepare = AutoPrepared;
            builder.AutoPrepareMinUsages = 2;
        }
        builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>The app's connection string for Hangfire's storage: the same defaults, with the pool's reset kept.</summary>
    internal static string ForJobs(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = false }.ConnectionString;

    /// <summary>How many statements each connection keeps prepared (the most used ones; the intake needs three).</summary>
    internal const int AutoPrepared = 32;

    /// <summary>Applies migrations (when configured) and creates the bootstrap administrator (demo data: src/CaseHandling.Demo).</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var config = app.Configuration;
        // Without a key-encryption key nothing can be sealed: fail at start-up, naming the setting.
        app.Services.GetRequiredService<KeyRing>().Current();
        // Nor can the accused's identifiers be hashed without a matching key.
        app.Services.GetRequiredService<Matching.MatchingKeys>().Current();
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

    }
}
