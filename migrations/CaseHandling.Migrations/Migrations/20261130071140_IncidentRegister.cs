using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class IncidentRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_duties_one_subject",
                table: "duties");

            migrationBuilder.CreateSequence(
                name: "incident_number_seq");

            migrationBuilder.AddColumn<Guid>(
                name: "incident_id",
                table: "duties",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "incident_registrar",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, defaultValueSql: "'VI-' || lpad(nextval('incident_number_seq')::text, 6, '0')"),
                    institution_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sector = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    occurred_on = table.Column<DateOnly>(type: "date", nullable: false),
                    place = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    harmed = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    declared_serious = table.Column<bool>(type: "boolean", nullable: false),
                    serious_injury = table.Column<bool>(type: "boolean", nullable: false),
                    firearm = table.Column<bool>(type: "boolean", nullable: false),
                    involves_staff_member = table.Column<bool>(type: "boolean", nullable: false),
                    serious = table.Column<bool>(type: "boolean", nullable: false),
                    duty_applies = table.Column<bool>(type: "boolean", nullable: false),
                    report_reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    decision_why = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    what_was_done = table.Column<string>(type: "text", nullable: false),
                    pupil_key_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    pupil_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: true),
                    linked_case_id = table.Column<Guid>(type: "uuid", nullable: true),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registered_by_user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reported_on = table.Column<DateOnly>(type: "date", nullable: true),
                    report_recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    report_delivery = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    erased_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incidents", x => x.id);
                    table.ForeignKey(
                        name: "fk_incidents_cases_linked_case_id",
                        column: x => x.linked_case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_incidents_institutions_institution_id",
                        column: x => x.institution_id,
                        principalTable: "institutions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "AspNetRoles",
                columns: new[] { "id", "concurrency_stamp", "name", "normalized_name" },
                values: new object[] { "role-inspectie", "role-inspectie", "Inspectie", "INSPECTIE" });

            migrationBuilder.CreateIndex(
                name: "ix_duties_incident_id",
                table: "duties",
                column: "incident_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_duties_one_subject",
                table: "duties",
                sql: "num_nonnulls(case_id, report_id, incident_id) = 1");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_institution_id_pupil_hash",
                table: "incidents",
                columns: new[] { "institution_id", "pupil_hash" },
                filter: "pupil_hash IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_institution_id_registered_at",
                table: "incidents",
                columns: new[] { "institution_id", "registered_at" });

            migrationBuilder.CreateIndex(
                name: "ix_incidents_linked_case_id",
                table: "incidents",
                column: "linked_case_id");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_number",
                table: "incidents",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_incidents_report_recorded_at",
                table: "incidents",
                column: "report_recorded_at",
                filter: "report_recorded_at IS NOT NULL");

            migrationBuilder.AddForeignKey(
                name: "fk_duties_incidents_incident_id",
                table: "duties",
                column: "incident_id",
                principalTable: "incidents",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_duties_incidents_incident_id",
                table: "duties");

            migrationBuilder.DropTable(
                name: "incidents");

            migrationBuilder.DropIndex(
                name: "ix_duties_incident_id",
                table: "duties");

            migrationBuilder.DropCheckConstraint(
                name: "ck_duties_one_subject",
                table: "duties");

            migrationBuilder.DeleteData(
                table: "AspNetRoles",
                keyColumn: "id",
                keyValue: "role-inspectie");

            migrationBuilder.DropColumn(
                name: "incident_id",
                table: "duties");

            migrationBuilder.DropColumn(
                name: "incident_registrar",
                table: "AspNetUsers");

            migrationBuilder.DropSequence(
                name: "incident_number_seq");

            migrationBuilder.AddCheckConstraint(
                name: "ck_duties_one_subject",
                table: "duties",
                sql: "num_nonnulls(case_id, report_id) = 1");
        }
    }
}
