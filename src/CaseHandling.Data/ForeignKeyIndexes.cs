using CaseHandling.Domain.Reports;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace CaseHandling.Data;

/// <summary>
/// EF's convention indexes every foreign key. One key goes without: a report's to its institution (migration
/// ReportsWithoutInstitutionIndex, docs/PERFORMANCE.md). No query reads reports by institution (the meldpunt's inbox goes
/// by activity and due time, the figures count cases), its index was never scanned in a 1,000,000-case benchmark, and
/// every accepted report wrote an entry into it. The index would serve only the key's check when an institution is
/// deleted, which the app never does (an institution is kept while it has reports: ON DELETE RESTRICT); such a delete
/// would read the reports once instead.
/// </summary>
public sealed class ForeignKeyIndexes(ProviderConventionSetBuilderDependencies dependencies) : ForeignKeyIndexConvention(dependencies)
{
    protected override IConventionIndex? CreateIndex(IReadOnlyList<IConventionProperty> properties, bool unique, IConventionEntityTypeBuilder entityTypeBuilder) =>
        entityTypeBuilder.Metadata.ClrType == typeof(Report) && properties is [{ Name: nameof(Report.InstitutionId) }]
            ? null
            : base.CreateIndex(properties, unique, entityTypeBuilder);
}
