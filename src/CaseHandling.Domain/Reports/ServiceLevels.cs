using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Reports;

/// <summary>A service level of the meldpunt, kept as a duty of the report with a stored due time.</summary>
public sealed record ServiceLevel(DutyKind Kind, string DefaultDeadline, StaffRole Responsible, string LegalBasis, string Description);

/// <summary>
/// The meldpunt's own service levels for every report, taken from the whistleblower rules
/// (EU directive 2019/1937 art. 9; Wet bescherming klokkenluiders): acknowledge within 7 days,
/// give feedback within 3 months of the acknowledgement.
/// </summary>
public static class ServiceLevels
{
    public static readonly IReadOnlyList<ServiceLevel> Rows =
    [
        new(DutyKind.MeldpuntAcknowledgement, "7d", StaffRole.MeldpuntHandler,
            "EU-richtlijn 2019/1937 art. 9 lid 1 sub b", "Ontvangst van de melding binnen 7 dagen bevestigen"),
        new(DutyKind.MeldpuntFeedback, "3mo", StaffRole.MeldpuntHandler,
            "EU-richtlijn 2019/1937 art. 9 lid 1 sub f", "Binnen 3 maanden na de ontvangstbevestiging terugkoppelen"),
    ];

    public static ServiceLevel Get(DutyKind kind) => Rows.First(r => r.Kind == kind);
}
