using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AccountDisabled : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "disabled_at",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "disabled_at",
                table: "AspNetUsers");
        }
    }
}
