using System.Reflection;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Infrastructure.Persistence;
using Mono.Cecil;
using Mono.Cecil.Cil;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NetArchTest.Rules;

namespace CaseHandling.Server.Tests.Architecture;

/// <summary>
/// The rules that keep two front ends on one core: the law in a pure domain, slices that stay slices, front ends that
/// never touch the database, and one way to save. Each rule names what breaks it.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Server = typeof(Program).Assembly;
    private const string Features = "CaseHandling.Server.Features";
    private const string Shared = Features + ".Shared";

    /// <summary>The feature areas: each folder under Features except the shared home.</summary>
    private static readonly string[] Areas = Server.GetTypes()
        .Select(t => t.Namespace ?? "")
        .Where(n => n.StartsWith(Features + ".", StringComparison.Ordinal) && n != Shared)
        .Select(n => string.Join('.', n.Split('.').Take(4)))
        .Distinct().Order().ToArray();

    private const string Portal = "CaseHandling.Server.Pages.Portal";

    /// <summary>The portal's page areas: each folder under Pages/Portal.</summary>
    private static readonly string[] PageAreas = Server.GetTypes()
        .Select(t => t.Namespace ?? "")
        .Where(n => n.StartsWith(Portal + ".", StringComparison.Ordinal))
        .Select(n => string.Join('.', n.Split('.').Take(5)))
        .Distinct().Order().ToArray();

    /// <summary>One tree: the portal's pages are grouped by the feature areas (Pages/Portal/&lt;Area&gt; beside Features/&lt;Area&gt;).</summary>
    [Test]
    public void PageAreas_AreFeatureAreas() =>
        Assert.That(PageAreas.Select(a => a.Split('.').Last()), Is.SubsetOf(Areas.Select(a => a.Split('.').Last())).And.Not.Empty);

    /// <summary>A page area uses another only through the portal's root (PortalPage, FormPage, the shared partials).</summary>
    [TestCaseSource(nameof(PageAreas))]
    public void PageArea_UsesNoOtherPageArea(string area)
    {
        var result = Types.InAssembly(Server).That().ResideInNamespace(area).ShouldNot().HaveDependencyOnAny(PageAreas.Where(a => a != area).ToArray()).GetResult();
        Assert.That(result.IsSuccessful, Is.True, $"{area} uses another page area: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Test]
    public void Domain_ReferencesNoPackage_OnlyTheBaseLibrary()
    {
        var references = typeof(Case).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        var packages = references.Where(n => n is not ("netstandard" or "Microsoft.Win32.Primitives") && !n.StartsWith("System", StringComparison.Ordinal));
        Assert.That(packages, Is.Empty, string.Join(", ", references));
    }

    [Test]
    public void Features_AreFound() => Assert.That(Areas, Is.SupersetOf(new[] { Features + ".Admin", Features + ".Auth", Features + ".Cases", Features + ".Meldpunt", Features + ".Reports" }));

    [TestCaseSource(nameof(Areas))]
    public void Feature_UsesOtherFeaturesOnlyThroughTheSharedHome(string area)
    {
        var others = Areas.Where(a => a != area).ToArray();
        var result = Types.InAssembly(Server).That().ResideInNamespace(area).ShouldNot().HaveDependencyOnAny(others).GetResult();
        Assert.That(result.IsSuccessful, Is.True, $"{area} uses another feature directly: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The rule above can fail: the route table, which maps every feature, breaks it.</summary>
    [Test]
    public void FeatureRule_FindsTheRouteTablesDependencies() =>
        Assert.That(Types.InAssembly(Server).That().HaveName("Routes").ShouldNot().HaveDependencyOnAny(Areas).GetResult().IsSuccessful, Is.False);

    /// <summary>
    /// Infrastructure serves the features and names none of them: not the route table, not a use case, not a feature's
    /// service. The features register their own services (FeatureServices) and hand what Infrastructure shows or counts
    /// through its interfaces (IApiExamples, ICountedAsReport).
    /// </summary>
    [Test]
    public void Infrastructure_DependsOnNoFeature()
    {
        var result = Types.InAssembly(Server).That().ResideInNamespace("CaseHandling.Server.Infrastructure")
            .ShouldNot().HaveDependencyOnAny(Features).GetResult();
        Assert.That(result.IsSuccessful, Is.True, string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The rule above can fail: the program itself, which composes Infrastructure and the features, breaks it.</summary>
    [Test]
    public void InfrastructureRule_FindsTheProgramsDependencies() =>
        Assert.That(Types.InAssembly(Server).That().HaveName("Program").ShouldNot().HaveDependencyOnAny(Features).GetResult().IsSuccessful, Is.False);

    [Test]
    public void SharedHome_DependsOnNoFeature()
    {
        var result = Types.InAssembly(Server).That().ResideInNamespace(Shared).ShouldNot().HaveDependencyOnAny(Areas).GetResult();
        Assert.That(result.IsSuccessful, Is.True, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Test]
    public void PagesAndEndpoints_NeverTouchTheDatabase_OnlyHandlersDo()
    {
        string[] database = [typeof(CaseHandlingDbContext).FullName!, typeof(UnitOfWork).FullName!, typeof(CaseStore).FullName!, "Npgsql"];
        var pages = Types.InAssembly(Server).That().ResideInNamespace("CaseHandling.Server.Pages").ShouldNot().HaveDependencyOnAny(database).GetResult();
        Assert.That(pages.IsSuccessful, Is.True, "pages: " + string.Join(", ", pages.FailingTypeNames ?? []));
    }

    /// <summary>
    /// Every class that holds an endpoint's handler, found from the running app's route table (not from a list of names):
    /// the route table itself and the endpoint classes with the HTTP side of a use case. None touches the database.
    /// </summary>
    [Test]
    public async Task EveryEndpointsClass_FromTheRouteTable_NeverTouchesTheDatabase()
    {
        string[] database = [typeof(CaseHandlingDbContext).FullName!, typeof(UnitOfWork).FullName!, typeof(CaseStore).FullName!, "Npgsql"];
        var host = await TestHost.Get();
        var holders = host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.DeclaringType)
            .OfType<Type>()
            .Select(Outermost)
            .Where(t => t.Assembly == Server)
            .Distinct().ToList();
        // The minimal API's routes (Routes, Login, TwoFactor, Me …); Razor Pages' handlers carry no MethodInfo and are checked above.
        Assert.That(holders.Select(t => t.Name), Does.Contain("Routes").And.Contain("Login"), "the route table is read");
        var offenders = holders.Where(t => Types.InAssembly(Server).That().HaveName(t.Name).And().ResideInNamespace(t.Namespace!)
            .ShouldNot().HaveDependencyOnAny(database).GetResult() is { IsSuccessful: false }).Select(t => t.FullName).ToList();
        Assert.That(offenders, Is.Empty);

        static Type Outermost(Type t)
        {
            while (t.DeclaringType is not null) t = t.DeclaringType; // a lambda's closure class sits inside the class that wrote it
            return t;
        }
    }

    /// <summary>
    /// One unit of work: no use case saves or opens a transaction itself. Read from the IL, so a call hidden in a
    /// lambda or an async state machine counts too.
    /// </summary>
    [Test]
    public void UseCases_NeverSaveOrOpenATransaction_OnlyTheUnitOfWorkDoes()
    {
        string[] forbidden = ["SaveChanges", "SaveChangesAsync", "BeginTransaction", "BeginTransactionAsync"];
        using var module = ModuleDefinition.ReadModule(Server.Location);
        var offenders = module.GetTypes()
            .Where(t => t.FullName.StartsWith(Features + ".", StringComparison.Ordinal) || t.FullName.StartsWith("CaseHandling.Server.Pages.", StringComparison.Ordinal))
            .SelectMany(t => t.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions
                .Where(i => i.OpCode.FlowControl == FlowControl.Call && i.Operand is MethodReference called && forbidden.Contains(called.Name))
                .Select(i => $"{t.FullName}.{m.Name} calls {((MethodReference)i.Operand).DeclaringType.Name}.{((MethodReference)i.Operand).Name}")))
            .ToList();
        Assert.That(offenders, Is.Empty, string.Join("\n", offenders));
    }

    /// <summary>The rule above can fail: the unit of work itself saves, and the scan finds it there.</summary>
    [Test]
    public void SaveScan_FindsTheUnitOfWorksOwnSave()
    {
        using var module = ModuleDefinition.ReadModule(Server.Location);
        var unitOfWork = module.GetTypes().Where(t => t.FullName.StartsWith(typeof(UnitOfWork).FullName!, StringComparison.Ordinal));
        var calls = unitOfWork.SelectMany(t => t.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions))
            .Count(i => i.OpCode.FlowControl == FlowControl.Call && i.Operand is MethodReference { Name: "SaveChangesAsync" });
        Assert.That(calls, Is.GreaterThan(0));
    }

    private const string Pages = "CaseHandling.Server.Pages";
    private const string PlantedHome = "CaseHandling.Server.Tests.Architecture.Planted";

    /// <summary>Every account change is in the unit of work's transaction with its audit entry; pages send commands.</summary>
    [Test]
    public void AccountChanges_OnlyInTheUnitOfWorksTransaction_NeverFromAPage()
    {
        using var module = ModuleDefinition.ReadModule(Server.Location);
        Assert.That(WriteRules.AccountWritesOutsideTheUnitOfWork(module, Features), Is.Empty);
        Assert.That(WriteRules.AccountWritesInPages(module, Pages), Is.Empty);
    }

    /// <summary>No use case or page writes past the change tracker, and no command records its change apart from it.</summary>
    [Test]
    public void NoBulkWrites_NoCommandRecordsApart()
    {
        using var module = ModuleDefinition.ReadModule(Server.Location);
        Assert.That(WriteRules.BulkWritesIn(module, Features, Pages), Is.Empty);
        Assert.That(WriteRules.CommandsRecordingApart(module, Features), Is.Empty);
    }

    /// <summary>Every command's change is in the audit trail (the handler, or the step helper it hands the change to, adds an entry).</summary>
    [Test]
    public void EveryCommand_AddsAnAuditEntry()
    {
        using var module = ModuleDefinition.ReadModule(Server.Location);
        Assert.That(WriteRules.CommandsWithoutAnAuditEntry(module, Features), Is.Empty);
    }

    /// <summary>Each write rule fails on the violations planted in the test assembly (Architecture/Planted).</summary>
    [Test]
    public void WriteRules_FindThePlantedViolations()
    {
        using var module = ModuleDefinition.ReadModule(typeof(ArchitectureTests).Assembly.Location);
        var features = PlantedHome + ".Features";
        Assert.Multiple(() =>
        {
            Assert.That(WriteRules.AccountWritesOutsideTheUnitOfWork(module, features), Has.Some.Contains("PlantedHandler calls UserManager`1.CreateAsync"));
            Assert.That(WriteRules.AccountWritesInPages(module, PlantedHome), Has.Some.Contains("PlantedPage calls UserManager`1.SetTwoFactorEnabledAsync"));
            Assert.That(WriteRules.BulkWritesIn(module, features), Has.Some.Contains("PlantedHandler calls").And.Some.Contains("ExecuteDeleteAsync"));
            Assert.That(WriteRules.CommandsRecordingApart(module, features), Has.Some.Contains("PlantedHandler calls AuditTrail.RecordAsync"));
            Assert.That(WriteRules.CommandsWithoutAnAuditEntry(module, features), Has.Some.EndsWith("PlantedSilentHandler"));
        });
    }

    /// <summary>Production carries no demo data: the seeder and Bogus live in src/CaseHandling.Demo, which the image does not build.</summary>
    [Test]
    public void Server_AndItsImage_CarryNoDemoData()
    {
        Assert.That(Server.GetReferencedAssemblies().Select(a => a.Name), Does.Not.Contain("Bogus"));
        Assert.That(Server.GetTypes().Where(t => t.Name.Contains("Demo", StringComparison.Ordinal)).Select(t => t.FullName), Is.Empty);
        var steps = File.ReadAllLines(Infrastructure.RepoFiles.PathOf("Dockerfile")).Where(l => l.StartsWith("COPY", StringComparison.Ordinal) || l.StartsWith("RUN", StringComparison.Ordinal));
        Assert.That(steps.Where(l => l.Contains("Demo", StringComparison.Ordinal)), Is.Empty, "the image builds nothing of the demo");
    }
}
