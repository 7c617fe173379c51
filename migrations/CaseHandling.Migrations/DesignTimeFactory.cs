using CaseHandling.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CaseHandling.Migrations;

/// <summary>Used by `dotnet ef` (migrations add, script, bundle). The connection string only matters for commands that touch a database.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CaseHandlingDbContext>
{
    public CaseHandlingDbContext CreateDbContext(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable("CASEHANDLING_DB")
                 ?? "Host=127.0.0.1;Port=5432;Username=casehandling;Password=casehandling;Database=casehandling";
        var options = new DbContextOptionsBuilder<CaseHandlingDbContext>();
        CaseHandlingDbContext.Configure(options, cs);
        return new CaseHandlingDbContext(options.Options);
    }
}
