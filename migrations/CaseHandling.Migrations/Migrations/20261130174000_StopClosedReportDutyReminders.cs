using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseHandling.Migrations.Migrations
{
    /// <summary>
    /// Closing a report now stops the reminders of its service levels not yet met (Report.Close, docs/JOBS.md "A closed
    /// report"). Reports closed before that still have a schedule: it is cleared here, so the sweep leaves them alone too.
    /// The duties stay unmet (met_at untouched). No schema change.
    /// </summary>
    public partial class StopClosedReportDutyReminders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE duties d SET next_action_at = NULL
                FROM reports r
                WHERE r.id = d.report_id AND r.status = 'Closed' AND d.met_at IS NULL AND d.next_action_at IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: a cleared schedule is what the code now writes at closing, and the old code never reads it back.
        }
    }
}
