using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Cases;

namespace CaseHandling.Server.Pages.Portal.Chain;

/// <summary>The facts that open a case, as a form posts them (the staff member's step 1 and the board's registration share them).</summary>
public sealed class OpenCaseForm
{
    public string? IncidentType { get; set; }
    public string? VictimKind { get; set; }
    public string? VictimAge { get; set; }
    public bool Afhankelijkheidsrelatie { get; set; }
    public string? AccusedRole { get; set; }
    public string? LearnedAt { get; set; }
    public string? Facts { get; set; }

    public VictimInput Victim => new(Enum.TryParse<VictimKind>(VictimKind, out var k) && Enum.IsDefined(k) ? k : null,
        Enum.TryParse<VictimAge>(VictimAge, out var a) && Enum.IsDefined(a) ? a : null, Afhankelijkheidsrelatie);

    public IncidentType? Incident => Enum.TryParse<IncidentType>(IncidentType, out var t) && Enum.IsDefined(t) ? t : null;

    public AccusedRole? Accused => Enum.TryParse<AccusedRole>(AccusedRole, out var r) && Enum.IsDefined(r) ? r : null;
}

/// <summary>What the shared fields partial needs: the page, the form's name, its values and the name of the "learned at" field in the command.</summary>
public sealed record OpenCaseFields(ChainPage Page, string Form, OpenCaseForm Values, string LearnedAtField, string LearnedAtLabel);
