using System.Collections.Concurrent;
using System.Net;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>
/// The real app (Program) over a real PostgreSQL database, one per configuration for the whole run:
/// tests isolate themselves by making their own institutions and accounts, so no reset is needed.
/// </summary>
public sealed class TestHost : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.casehandling.nl";
    public const string AdminPassword = "Admin-wachtwoord-2026";

    private static readonly ConcurrentDictionary<string, Lazy<Task<TestHost>>> Hosts = new();
    private static readonly ConcurrentDictionary<string, Task<string>> KeyStores = new();
    public static readonly string TestKek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public static readonly string TestMatchingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly Dictionary<string, string?> _settings;

    public CapturingLoggerProvider Logs { get; } = new();
    public string ConnectionString { get; }
    /// <summary>The key store's database (the data keys), apart from the case database.</summary>
    public string KeyStoreConnectionString { get; private init; } = "";

    /// <summary>The name this host is known by in <see cref="Get"/>.</summary>
    public string Name { get; }

    private TestHost(string name, string connectionString, Dictionary<string, string?> settings)
    {
        Name = name;
        ConnectionString = connectionString;
        _settings = settings;
    }

    /// <summary>The host for a named configuration; <paramref name="settings"/> override appsettings.json.</summary>
    /// <summary>The base address of the real socket, for hosts started with <c>kestrel: true</c> (browser tests).</summary>
    public Uri? KestrelAddress { get; private set; }

    private Action<IServiceCollection>? _services;

    public static Task<TestHost> Get(string name = "default", Dictionary<string, string?>? settings = null, bool ownDatabase = false, bool kestrel = false,
        Action<IServiceCollection>? services = null, string? connectionString = null, string? keyStoreConnectionString = null) =>
        Hosts.GetOrAdd(name, _ => new Lazy<Task<TestHost>>(async () =>
        {
            var cs = connectionString ?? await TestDatabase.CreateAsync(name, migrate: !ownDatabase);
            // The data keys in a database apart, as in production; hosts that share a case database share its key store.
            var keyStore = keyStoreConnectionString ?? await KeyStores.GetOrAdd(cs, _ => TestDatabase.CreateAsync(name + "_keys", migrate: false));
            var all = new Dictionary<string, string?>
            {
                ["ConnectionStrings:CaseHandling"] = cs,
                ["ConnectionStrings:KeyStore"] = keyStore,
                ["Bootstrap:AdminEmail"] = AdminEmail,
                ["Bootstrap:AdminPassword"] = AdminPassword,
                ["Database:MigrateOnStartup"] = ownDatabase ? "true" : "false",
                // Background work runs only in the hosts of the job tests, which say so.
                ["Jobs:Mode"] = "Api",
                // One key-encryption key for the run (hosts that share a database share it); rotation tests bring their own.
                ["Encryption:ActiveKeyId"] = "test-1",
                ["Encryption:Keys:test-1"] = TestKek,
                // A handler that reads sealed content without preloading its key fails here, loudly (KeyScope).
                ["Encryption:RequirePreloadedKeys"] = "true",
                // The matching key (docs/MATCHING.md), held outside the database like the key-encryption key.
                ["Matching:ActiveKeyId"] = "match-1",
                ["Matching:Keys:match-1"] = TestMatchingKey,
                // Every test client comes from one address (or none, in-process): the per-address limits have their own tests.
                ["ReporterRateLimits:SubmissionsPerAddressPerMinute"] = "1000000",
                ["ReporterRateLimits:CodeAttemptsPerAddressPerMinute"] = "1000000",
                // The test hosts run as Development; the API reference keeps its production rule (signed-in only) unless a test says otherwise.
                ["ApiReference:OpenToEveryone"] = "false",
            };
            foreach (var (k, v) in settings ?? []) all[k] = v;
            var host = new TestHost(name, cs, all) { _services = services, KeyStoreConnectionString = keyStore };
            // Port 0: the OS picks a free port as Kestrel binds, so no other process can take it in between.
            if (kestrel) host.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            host.StartServer(); // start now, so start-up failures surface in the fixture
            if (kestrel)
                host.KestrelAddress = new Uri(host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
            return host;
        })).Value;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
        // Hangfire's AddHangfire registers the job activator as JobActivator.Current, a static that every host sets
        // when it configures Hangfire. With hosts starting in parallel, a job server could take another host's
        // activator and run its jobs with that host's services (its database, its clock; or a disposed one's).
        // Each host gets an activator over its own services (the app's JobStorage is its own already).
        builder.ConfigureTestServices(s =>
            s.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>())));
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    /// <summary>Stops a host that belonged to one test and forgets its name (its database stays until the run ends).</summary>
    public static async Task Discard(TestHost host)
    {
        Hosts.TryRemove(host.Name, out _);
        await host.DisposeAsync();
    }

    public static async Task DisposeAllAsync()
    {
        foreach (var lazy in Hosts.Values)
        {
            // A host whose start failed has already failed its tests; its databases are dropped all the same.
            if (!lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully) continue;
            await (await lazy.Value).DisposeAsync();
        }
        Hosts.Clear();
    }
}

/// <summary>Keeps every log line the app writes, so tests can assert what is (not) in the logs.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    public IReadOnlyCollection<string> Lines => _lines;
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);
    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
