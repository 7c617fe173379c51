using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <summary>
    /// The duties' index by due time alone goes: the sweep reads open duties by their next action, each list by its owner,
    /// and at 1,000,000 cases no query used it, while every new duty wrote an entry into it (docs/PERFORMANCE.md).
    /// </summary>
    public partial class DutiesWithoutDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_duties_open_due_at",
                table: "duties");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_duties_open_due_at",
                table: "duties",
                column: "due_at",
                filter: "met_at IS NULL");
        }
    }
}
