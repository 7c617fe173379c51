using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <summary>
    /// The reports' index by institution (EF's convention for the foreign key) goes: no query reads reports by institution,
    /// institutions are never deleted, and each accepted report wrote an entry into it (CaseHandling.Data.ForeignKeyIndexes,
    /// docs/PERFORMANCE.md). The foreign key itself stays.
    /// </summary>
    public partial class ReportsWithoutInstitutionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_reports_institution_id",
                table: "reports");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_reports_institution_id",
                table: "reports",
                column: "institution_id");
        }
    }
}
