using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ReportRating : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "rated_at",
                table: "reports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rating_comment",
                table: "reports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "rating_kept_informed",
                table: "reports",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "rating_taken_seriously",
                table: "reports",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "rating_would_report_again",
                table: "reports",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "rated_at",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "rating_comment",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "rating_kept_informed",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "rating_taken_seriously",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "rating_would_report_again",
                table: "reports");
        }
    }
}
