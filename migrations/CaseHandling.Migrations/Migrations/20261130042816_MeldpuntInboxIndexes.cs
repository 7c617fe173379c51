using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class MeldpuntInboxIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_reports_open_activity",
                table: "reports",
                columns: new[] { "last_activity_at", "id" },
                descending: new bool[0],
                filter: "status <> 'Closed'");

            migrationBuilder.CreateIndex(
                name: "ix_duties_open_report_due_at",
                table: "duties",
                columns: new[] { "due_at", "report_id" },
                filter: "met_at IS NULL AND report_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_reports_open_activity",
                table: "reports");

            migrationBuilder.DropIndex(
                name: "ix_duties_open_report_due_at",
                table: "duties");
        }
    }
}
