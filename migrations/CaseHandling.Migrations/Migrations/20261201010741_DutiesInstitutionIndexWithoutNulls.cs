using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <summary>
    /// A board's open duties by institution hold only duties that have an institution: a report's service level (the
    /// meldpunt's) has none, and each new report's duty wrote a NULL entry into this index (docs/PERFORMANCE.md).
    /// </summary>
    public partial class DutiesInstitutionIndexWithoutNulls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_duties_open_institution_due_at",
                table: "duties");

            migrationBuilder.CreateIndex(
                name: "ix_duties_open_institution_due_at",
                table: "duties",
                columns: new[] { "institution_id", "due_at" },
                filter: "met_at IS NULL AND institution_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_duties_open_institution_due_at",
                table: "duties");

            migrationBuilder.CreateIndex(
                name: "ix_duties_open_institution_due_at",
                table: "duties",
                columns: new[] { "institution_id", "due_at" },
                filter: "met_at IS NULL");
        }
    }
}
