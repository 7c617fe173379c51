using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ReportFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "report_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    cleaned_size = table.Column<long>(type: "bigint", nullable: false),
                    cleaned_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    removed = table.Column<int>(type: "integer", nullable: false),
                    cleaning_failed = table.Column<bool>(type: "boolean", nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    first_read_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_report_files_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "report_file_accesses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_id = table.Column<Guid>(type: "uuid", nullable: false),
                    original = table.Column<bool>(type: "boolean", nullable: false),
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_file_accesses", x => x.id);
                    table.ForeignKey(
                        name: "fk_report_file_accesses_report_files_file_id",
                        column: x => x.file_id,
                        principalTable: "report_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_report_file_accesses_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "report_file_chunks",
                columns: table => new
                {
                    file_id = table.Column<Guid>(type: "uuid", nullable: false),
                    copy = table.Column<short>(type: "smallint", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    last = table.Column<bool>(type: "boolean", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_file_chunks", x => new { x.file_id, x.copy, x.sequence });
                    table.ForeignKey(
                        name: "fk_report_file_chunks_report_files_file_id",
                        column: x => x.file_id,
                        principalTable: "report_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // A file's chunks are written as they are sealed, before the file's row (which the unit of work inserts at its
            // commit): the reference is checked when the transaction commits (docs/EVIDENCE.md).
            migrationBuilder.Sql("ALTER TABLE report_file_chunks ALTER CONSTRAINT fk_report_file_chunks_report_files_file_id DEFERRABLE INITIALLY DEFERRED;");
            // Sealed bytes do not compress: kept out of line without PostgreSQL trying to.
            migrationBuilder.Sql("ALTER TABLE report_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;");

            migrationBuilder.CreateIndex(
                name: "ix_report_file_accesses_file_id",
                table: "report_file_accesses",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_report_file_accesses_report_id",
                table: "report_file_accesses",
                column: "report_id");

            migrationBuilder.CreateIndex(
                name: "ix_report_files_report_id_number",
                table: "report_files",
                columns: new[] { "report_id", "number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "report_file_accesses");

            migrationBuilder.DropTable(
                name: "report_file_chunks");

            migrationBuilder.DropTable(
                name: "report_files");
        }
    }
}
