using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class InspectorQueueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_inspector_user_id_state",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "ix_cases_inspector_user_id_state_coverage",
                table: "cases",
                columns: new[] { "inspector_user_id", "state", "coverage" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_inspector_user_id_state_coverage",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "ix_cases_inspector_user_id_state",
                table: "cases",
                columns: new[] { "inspector_user_id", "state" });
        }
    }
}
