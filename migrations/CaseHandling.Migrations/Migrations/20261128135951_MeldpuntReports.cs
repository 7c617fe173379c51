using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class MeldpuntReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "report_number_seq");

            migrationBuilder.AlterColumn<Guid>(
                name: "institution_id",
                table: "duties",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AlterColumn<Guid>(
                name: "case_id",
                table: "duties",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "report_id",
                table: "duties",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "reports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, defaultValueSql: "'M-' || lpad(nextval('report_number_seq')::text, 6, '0')"),
                    receipt_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    reporter_kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    anonymous = table.Column<bool>(type: "boolean", nullable: false),
                    contact_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    contact_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    contact_phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    incident_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    what_happened = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    when_happened = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: false),
                    department = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    accused_role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    victim_who = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    victim_age = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    destination = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_activity_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    consent_items = table.Column<int>(type: "integer", nullable: false),
                    consent_given_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    forwarded_items = table.Column<int>(type: "integer", nullable: false),
                    forwarded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    forwarded_case_id = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_reports_institutions_institution_id",
                        column: x => x.institution_id,
                        principalTable: "institutions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "report_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    author = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    handler_user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    text = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_report_messages_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_duties_report_id",
                table: "duties",
                column: "report_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_duties_one_subject",
                table: "duties",
                sql: "num_nonnulls(case_id, report_id) = 1");

            migrationBuilder.CreateIndex(
                name: "ix_report_messages_report_id_sequence",
                table: "report_messages",
                columns: new[] { "report_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reports_institution_id",
                table: "reports",
                column: "institution_id");

            migrationBuilder.CreateIndex(
                name: "ix_reports_number",
                table: "reports",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reports_receipt_hash",
                table: "reports",
                column: "receipt_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reports_status_submitted_at",
                table: "reports",
                columns: new[] { "status", "submitted_at" });

            migrationBuilder.AddForeignKey(
                name: "fk_duties_reports_report_id",
                table: "duties",
                column: "report_id",
                principalTable: "reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_duties_reports_report_id",
                table: "duties");

            migrationBuilder.DropTable(
                name: "report_messages");

            migrationBuilder.DropTable(
                name: "reports");

            migrationBuilder.DropIndex(
                name: "ix_duties_report_id",
                table: "duties");

            migrationBuilder.DropCheckConstraint(
                name: "ck_duties_one_subject",
                table: "duties");

            migrationBuilder.DropColumn(
                name: "report_id",
                table: "duties");

            migrationBuilder.DropSequence(
                name: "report_number_seq");

            migrationBuilder.AlterColumn<Guid>(
                name: "institution_id",
                table: "duties",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "case_id",
                table: "duties",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
