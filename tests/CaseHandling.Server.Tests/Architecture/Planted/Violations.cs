using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

// Planted violations of WriteRules, never run: the architecture tests scan this namespace and must find each one.
namespace CaseHandling.Server.Tests.Architecture.Planted.Features;

public sealed record PlantedCommand : ICommand<Result>;

/// <summary>Changes an account without the unit of work's transaction, and records the change apart from it.</summary>
public sealed class PlantedHandler(UserManager<StaffUser> users, AuditTrail audit, CaseHandlingDbContext db) : ICommandHandler<PlantedCommand, Result>
{
    public async ValueTask<Result> Handle(PlantedCommand command, CancellationToken ct)
    {
        var user = new StaffUser();
        await users.CreateAsync(user);
        await audit.RecordAsync(Guid.Empty, "planted", "planted", "planted", ct);
        await db.Settings.Where(s => s.Key == "planted").ExecuteDeleteAsync(ct);
        return Result.Success();
    }
}

public sealed record PlantedSilentCommand : ICommand<Result>;

/// <summary>Changes a setting through the unit of work, and records nothing.</summary>
public sealed class PlantedSilentHandler(CaseHandlingDbContext db, UnitOfWork work) : ICommandHandler<PlantedSilentCommand, Result>
{
    public async ValueTask<Result> Handle(PlantedSilentCommand command, CancellationToken ct)
    {
        db.Settings.Add(new SystemSetting { Key = "planted", Value = "planted" });
        return await work.CommitAsync("planted", ct);
    }
}

/// <summary>A page's model that changes an account itself, in a lambda (the scan must see into closures).</summary>
public sealed class PlantedPage(UserManager<StaffUser> users)
{
    public Task Post(StaffUser user) => Task.Run(async () => await users.SetTwoFactorEnabledAsync(user, true));
}
