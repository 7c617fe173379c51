using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <summary>
    /// The monitoring figures' facts on the case (Case.OverlegStartedAt, AangifteFiledAt, LastConclusion), so that the figures
    /// are counted from the cases without reading every timeline (docs/PERFORMANCE.md). Filled here from the timelines of the
    /// cases there are: the first start of the overleg, the first aangifte, and the conclusion recorded last.
    /// </summary>
    public partial class FiguresFactsOnCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "aangifte_filed_at",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_conclusion",
                table: "cases",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "overleg_started_at",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE cases c SET overleg_started_at = e.started, aangifte_filed_at = e.filed, last_conclusion = e.conclusion
                FROM (
                    SELECT case_id,
                           min(at) FILTER (WHERE kind = 'StartConsultation') AS started,
                           min(at) FILTER (WHERE kind = 'FileAangifte') AS filed,
                           (array_agg(kind ORDER BY sequence DESC) FILTER (WHERE kind IN ('ConcludeReasonableSuspicion',
                               'ConcludeSexualHarassment', 'ConcludeNoReasonableSuspicion', 'RequestMoreInformation')))[1] AS conclusion
                    FROM case_events
                    WHERE kind IN ('StartConsultation', 'FileAangifte', 'ConcludeReasonableSuspicion', 'ConcludeSexualHarassment',
                                   'ConcludeNoReasonableSuspicion', 'RequestMoreInformation')
                    GROUP BY case_id
                ) e
                WHERE e.case_id = c.id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "aangifte_filed_at",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "last_conclusion",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "overleg_started_at",
                table: "cases");
        }
    }
}
