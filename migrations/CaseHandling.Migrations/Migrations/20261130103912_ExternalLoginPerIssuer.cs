using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ExternalLoginPerIssuer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_asp_net_user_logins_user_id",
                table: "AspNetUserLogins");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_logins_user_id_login_provider",
                table: "AspNetUserLogins",
                columns: new[] { "user_id", "login_provider" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_asp_net_user_logins_user_id_login_provider",
                table: "AspNetUserLogins");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_logins_user_id",
                table: "AspNetUserLogins",
                column: "user_id");
        }
    }
}
