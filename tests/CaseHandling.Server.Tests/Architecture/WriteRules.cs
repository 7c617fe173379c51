using Mono.Cecil;
using Mono.Cecil.Cil;

namespace CaseHandling.Server.Tests.Architecture;

/// <summary>
/// The ways to write around the unit of work, read from the IL (so a call in a lambda or an async state machine counts,
/// as the type it is nested in). Each rule takes the module and the namespaces it applies to, so that the tests can show
/// it failing on planted violations (<see cref="Planted"/>) as well as passing on the server.
/// </summary>
public static class WriteRules
{
    /// <summary>Identity's methods that change an account; each saves at once through Identity's store.</summary>
    public static readonly string[] AccountWrites =
    [
        "CreateAsync", "UpdateAsync", "DeleteAsync", "ChangePasswordAsync", "ResetPasswordAsync", "AddPasswordAsync", "RemovePasswordAsync",
        "AddToRoleAsync", "AddToRolesAsync", "RemoveFromRoleAsync", "RemoveFromRolesAsync", "SetTwoFactorEnabledAsync", "ResetAuthenticatorKeyAsync",
        "GenerateNewTwoFactorRecoveryCodesAsync", "AddLoginAsync", "RemoveLoginAsync", "SetLockoutEndDateAsync", "ResetAccessFailedCountAsync",
        "UpdateSecurityStampAsync", "SetEmailAsync", "SetUserNameAsync", "AddClaimAsync", "RemoveClaimAsync", "SetPhoneNumberAsync",
    ];

    /// <summary>EF's writes that pass the change tracker, and so the unit of work's audit entries.</summary>
    private static readonly string[] BulkWrites =
        ["ExecuteUpdate", "ExecuteUpdateAsync", "ExecuteDelete", "ExecuteDeleteAsync", "ExecuteSql", "ExecuteSqlAsync", "ExecuteSqlRaw",
         "ExecuteSqlRawAsync", "ExecuteSqlInterpolated", "ExecuteSqlInterpolatedAsync"];

    private static IEnumerable<(TypeDefinition Outer, MethodDefinition Method, MethodReference Called)> Calls(ModuleDefinition module, params string[] namespaces) =>
        module.GetTypes()
            .Where(t => namespaces.Any(n => t.FullName.StartsWith(n + ".", StringComparison.Ordinal)))
            .SelectMany(t => t.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions
                .Where(i => i.OpCode.FlowControl == FlowControl.Call && i.Operand is MethodReference)
                .Select(i => (Outermost(t), m, (MethodReference)i.Operand))));

    private static TypeDefinition Outermost(TypeDefinition t) => t.DeclaringType is null ? t : Outermost(t.DeclaringType);

    private static string Name(TypeDefinition t, MethodDefinition m, MethodReference called) =>
        $"{t.FullName} calls {called.DeclaringType.Name}.{called.Name}";

    /// <summary>An account change by a use case: only inside the unit of work's one transaction (UnitOfWork.AtomicallyAsync).</summary>
    public static List<string> AccountWritesOutsideTheUnitOfWork(ModuleDefinition module, string features)
    {
        var calls = Calls(module, features).ToList();
        var atomic = calls.Where(c => c.Called.Name == "AtomicallyAsync" && c.Called.DeclaringType.Name == "UnitOfWork").Select(c => c.Outer).ToHashSet();
        return calls.Where(c => c.Called.DeclaringType.Name.StartsWith("UserManager", StringComparison.Ordinal) && AccountWrites.Contains(c.Called.Name)
                && !atomic.Contains(c.Outer))
            .Select(c => Name(c.Outer, c.Method, c.Called)).Distinct().ToList();
    }

    /// <summary>Pages change no account themselves: they send a command.</summary>
    public static List<string> AccountWritesInPages(ModuleDefinition module, string pages) =>
        Calls(module, pages).Where(c => c.Called.DeclaringType.Name.StartsWith("UserManager", StringComparison.Ordinal) && AccountWrites.Contains(c.Called.Name))
            .Select(c => Name(c.Outer, c.Method, c.Called)).Distinct().ToList();

    /// <summary>No bulk write (past the change tracker and the audit entries) from a use case or a page.</summary>
    public static List<string> BulkWritesIn(ModuleDefinition module, params string[] namespaces) =>
        Calls(module, namespaces).Where(c => BulkWrites.Contains(c.Called.Name))
            .Select(c => Name(c.Outer, c.Method, c.Called)).Distinct().ToList();

    /// <summary>
    /// A command records its change with the unit of work (UnitOfWork.Audit, in the change's transaction), never with
    /// AuditTrail.RecordAsync, which commits an entry of its own (for reads).
    /// </summary>
    public static List<string> CommandsRecordingApart(ModuleDefinition module, string features) =>
        Calls(module, features).Where(c => c.Called.Name == "RecordAsync" && c.Called.DeclaringType.Name == "AuditTrail"
                && c.Outer.Interfaces.Any(i => i.InterfaceType.Name.StartsWith("ICommandHandler", StringComparison.Ordinal)))
            .Select(c => Name(c.Outer, c.Method, c.Called)).Distinct().ToList();

    /// <summary>
    /// Every command records its change: its handler (or a step helper it hands the change to, such as the chain's
    /// CaseStep) adds an audit entry to the unit of work; sign-in too, as each attempt changes the account's counters.
    /// </summary>
    public static List<string> CommandsWithoutAnAuditEntry(ModuleDefinition module, string features, params string[] exempt)
    {
        var calls = Calls(module, features).ToList();
        bool Audits(TypeDefinition t) => calls.Any(c => c.Outer == t && c.Called.Name == "Audit" && c.Called.DeclaringType.Name == "UnitOfWork");
        var helpers = calls.Select(c => c.Outer).Distinct().Where(Audits).Select(t => t.FullName).ToHashSet();
        return module.GetTypes()
            .Where(t => t.DeclaringType is null && t.FullName.StartsWith(features + ".", StringComparison.Ordinal)
                && t.Interfaces.Any(i => i.InterfaceType.Name.StartsWith("ICommandHandler", StringComparison.Ordinal))
                && !exempt.Contains(t.Name))
            .Where(t => !Audits(t) && !calls.Any(c => c.Outer == t && helpers.Contains(c.Called.DeclaringType.FullName)))
            .Select(t => t.FullName).ToList();
    }
}
