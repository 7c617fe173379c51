using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Encryption;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// Two matching reports side by side, for the meldpunt handler to judge whether they name the same person. Not found
/// unless the two really match (independent, sharing an identifier). Recorded in both reports' audit trails ("match:shown").
/// </summary>
public sealed record GetMatch(Guid A, Guid B) : IQuery<Result<MatchDetail>>;

public sealed record MatchDetail(MatchView Match, MatchReport First, MatchReport Second);

/// <summary>One report as compared: what happened, and who the accused is as named.</summary>
public sealed record MatchReport(
    Guid Id, string Number, ReportStatus Status, DateTimeOffset SubmittedAt, string InstitutionName, IncidentType IncidentType,
    AccusedRole AccusedRole, string WhatHappened, string WhenHappened, string? Department,
    string? AccusedName, string? AccusedInstitutionName, string? AccusedEmail, string? AccusedStaffNumber);

public sealed class GetMatchHandler(CaseHandlingDbContext db, DataKeys keys, MatchFinder finder) : IQueryHandler<GetMatch, Result<MatchDetail>>
{
    public async ValueTask<Result<MatchDetail>> Handle(GetMatch q, CancellationToken ct)
    {
        var match = (await finder.FindAsync(q.A, ct)).FirstOrDefault(m => m.First.Id == q.B || m.Second.Id == q.B);
        if (match is null) return new NotFound("Match");
        await keys.PreloadAsync([match.First.Id, match.Second.Id], ct);
        var reports = await db.Reports.AsNoTracking().Where(r => r.Id == match.First.Id || r.Id == match.Second.Id).ToDictionaryAsync(r => r.Id, ct);
        var accused = await db.ReportAccused.AsNoTracking().Where(a => a.ReportId == match.First.Id || a.ReportId == match.Second.Id)
            .ToDictionaryAsync(a => a.ReportId, ct);
        var institutionIds = accused.Values.Select(a => a.InstitutionId).OfType<Guid>().ToList();
        var institutions = await db.Institutions.AsNoTracking().Where(i => institutionIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        await finder.RecordShownAsync([match], "match:shown", ct);

        MatchReport Of(MatchSide side)
        {
            var r = reports[side.Id];
            var a = accused.GetValueOrDefault(side.Id);
            return new MatchReport(r.Id, r.Number, r.Status, r.SubmittedAt, side.InstitutionName, r.IncidentType, r.AccusedRole, r.WhatHappened,
                r.WhenHappened, r.Department, a?.Name, a?.InstitutionId is { } i ? institutions.GetValueOrDefault(i) : null, a?.Email, a?.StaffNumber);
        }
        return new MatchDetail(match, Of(match.First), Of(match.Second));
    }
}
