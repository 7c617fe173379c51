using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Cases;

namespace CaseHandling.Server.Pages.Portal.Cases;

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

    public VictimInput Victim => new(FormPage.Choice<VictimKind>(VictimKind), FormPage.Choice<VictimAge>(VictimAge), Afhankelijkheidsrelatie);

    public IncidentType? Incident => FormPage.Choice<IncidentType>(IncidentType);

    public AccusedRole? Accused => FormPage.Choice<AccusedRole>(AccusedRole);
}

/// <summary>What the shared fields partial needs: the page, the form's name, its values and the name of the "learned at" field in the command.</summary>
public sealed record OpenCaseFields(FormPage Page, string Form, OpenCaseForm Values, string LearnedAtField, string LearnedAtLabel);
