using CaseHandling.Domain.Cases;
using CaseHandling.Server.Infrastructure.Validation;

namespace CaseHandling.Server.Features.Cases;

/// <summary>The facts shared by a staff notification and a board registration. Enums are nullable so that a missing one is an error, not a silent default.</summary>
public sealed record VictimInput(VictimKind? Kind, VictimAge? Age, bool Afhankelijkheidsrelatie);

public static class OpenCaseChecks
{
    public const int MaxFacts = 20_000;

    public static IEnumerable<(string, string)> Validate(IncidentType? incidentType, VictimInput? victim, AccusedRole? accusedRole, string? facts)
    {
        foreach (var e in Check.Required("incidentType", incidentType)) yield return e;
        foreach (var e in Check.Required("victim", victim)) yield return e;
        if (victim is not null)
        {
            foreach (var e in Check.Required("victim.kind", victim.Kind)) yield return e;
            foreach (var e in Check.Required("victim.age", victim.Age)) yield return e;
        }
        foreach (var e in Check.Required("accusedRole", accusedRole)) yield return e;
        foreach (var e in Check.RequiredText("facts", facts, MaxFacts)) yield return e;
    }
}
