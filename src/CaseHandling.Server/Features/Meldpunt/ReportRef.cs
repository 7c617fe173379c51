using CaseHandling.Domain.Reports;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>What a handler's change to a report answers.</summary>
public sealed record ReportRef(Guid Id, string Number, ReportStatus Status)
{
    public static ReportRef Of(Report r) => new(r.Id, r.Number, r.Status);
}
