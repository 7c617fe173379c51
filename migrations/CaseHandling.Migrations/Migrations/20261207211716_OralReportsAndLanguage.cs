using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class OralReportsAndLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "account_approved_at",
                table: "reports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "account_approved_version",
                table: "reports",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "reports",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                // Every report before this one was filed online; the default is a constant, so adding it rewrites no row.
                defaultValue: "Online");

            migrationBuilder.AddColumn<string>(
                name: "language",
                table: "reports",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                // Before this, the language was not kept: Dutch, the default, as the report answers it.
                defaultValue: "nl");

            migrationBuilder.AddColumn<bool>(
                name: "recording_exists",
                table: "reports",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "report_account_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    author = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    handler_user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    text = table.Column<string>(type: "text", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_account_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_report_account_versions_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_report_account_versions_report_id_number",
                table: "report_account_versions",
                columns: new[] { "report_id", "number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "report_account_versions");

            migrationBuilder.DropColumn(
                name: "account_approved_at",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "account_approved_version",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "language",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "recording_exists",
                table: "reports");
        }
    }
}
