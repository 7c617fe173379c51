using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Server.Features.Shared;

/// <summary>A duty as a case or a report shows it: its legal basis, due time and status now.</summary>
public sealed record DutyView(Guid Id, DutyKind Kind, int Step, StaffRole Responsible, string LegalBasis, string RegimeId,
    DateTimeOffset OpenedAt, DateTimeOffset DueAt, DateTimeOffset? MetAt, DutyStatus Status)
{
    public static DutyView Of(Duty d, DateTimeOffset now) =>
        new(d.Id, d.Kind, d.Step, d.Responsible, d.LegalBasis, d.RegimeId, d.OpenedAt, d.DueAt, d.MetAt, d.StatusAt(now));
}
