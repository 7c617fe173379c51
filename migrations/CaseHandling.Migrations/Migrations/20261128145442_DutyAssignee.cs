using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class DutyAssignee : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "assignee_user_id",
                table: "duties",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            // Step-3 duties opened before this migration belong to the inspector of their case's overleg.
            migrationBuilder.Sql("UPDATE duties d SET assignee_user_id = c.inspector_user_id FROM cases c WHERE d.case_id = c.id AND d.kind = 'ConcludeOverleg';");

            migrationBuilder.CreateIndex(
                name: "ix_duties_open_assignee_due_at",
                table: "duties",
                columns: new[] { "assignee_user_id", "due_at" },
                filter: "met_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_duties_open_assignee_due_at",
                table: "duties");

            migrationBuilder.DropColumn(
                name: "assignee_user_id",
                table: "duties");
        }
    }
}
