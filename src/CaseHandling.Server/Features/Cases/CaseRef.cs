using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Server.Features.Cases;

/// <summary>What a step answers: where the case now stands and what may come next. <see cref="Version"/> is also the ETag.</summary>
public sealed record CaseRef(Guid Id, string Number, CaseState State, Coverage Coverage, IReadOnlyList<CaseTrigger> AllowedNext, uint Version)
{
    public static CaseRef Of(Case c) => new(c.Id, c.Number, c.State, c.Coverage, c.AllowedNext, c.Version);
}
