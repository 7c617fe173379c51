using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <summary>
    /// The duties' indexes by case, report and incident, and by assignee, hold only the duties that have one; the reports'
    /// retention index only closed reports. Before, each new report's duty wrote a NULL entry into the case, incident and
    /// assignee indexes, and each new report one into the retention index (docs/PERFORMANCE.md).
    /// </summary>
    public partial class DutyIndexesWithoutNulls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_reports_retention",
                table: "reports");

            migrationBuilder.DropIndex(
                name: "ix_duties_case_id",
                table: "duties");

            migrationBuilder.DropIndex(
                name: "ix_duties_incident_id",
                table: "duties");

            migrationBuilder.DropIndex(
                name: "ix_duties_open_assignee_due_at",
                table: "duties");

            migrationBuilder.DropIndex(
                name: "ix_duties_report_id",
                table: "duties");

            migrationBuilder.CreateIndex(
                name: "ix_reports_retention",
                table: "reports",
                column: "closed_at",
                filter: "erased_at IS NULL AND legal_hold = false AND closed_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_duties_case_id",
                table: "duties",
                column: "case_id",
                filter: "case_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_duties_incident_id",
                table: "duties",
                column: "incident_id",
                filter: "incident_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_duties_open_assignee_due_at",
                table: "duties",
                columns: new[] { "assignee_user_id", "due_at" },
                filter: "met_at IS NULL AND assignee_user_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_duties_report_id",
                table: "duties",
                column: "report_id",
                filter: "report_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_reports_retention",
                table: "reports");

            migrationBuilder.DropIndex(
                name: "ix_duties_case_id",
                table: "duties");

            migrationBuilder.DropIndex(
                name: "ix_duties_incident_id",
                table: "duties");

            migrationBuilder.DropIndex(
                name: "ix_duties_open_assignee_due_at",
                table: "duties");

            migrationBuilder.DropIndex(
                name: "ix_duties_report_id",
                table: "duties");

            migrationBuilder.CreateIndex(
                name: "ix_reports_retention",
                table: "reports",
                column: "closed_at",
                filter: "erased_at IS NULL AND legal_hold = false");

            migrationBuilder.CreateIndex(
                name: "ix_duties_case_id",
                table: "duties",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_duties_incident_id",
                table: "duties",
                column: "incident_id");

            migrationBuilder.CreateIndex(
                name: "ix_duties_open_assignee_due_at",
                table: "duties",
                columns: new[] { "assignee_user_id", "due_at" },
                filter: "met_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_duties_report_id",
                table: "duties",
                column: "report_id");
        }
    }
}
