using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Matching;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The handler adds or corrects who the accused of a report is (e.g. from what the reporter wrote in the dialogue).
/// The form is the whole accused: what is left empty is removed. Its keyed hashes are made again (docs/MATCHING.md).
/// </summary>
public sealed record SetAccused([property: FromRouteOrHeader] Guid ReportId, string? AccusedName, Guid? AccusedInstitutionId, string? AccusedEmail, string? AccusedStaffNumber)
    : ICommand<Result<ReportRef>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        AccusedCheck.Validate(AccusedName, AccusedEmail, AccusedStaffNumber);
}

public sealed class SetAccusedHandler(CaseHandlingDbContext db, UnitOfWork work, InstitutionDirectory institutions, MatchingKeys matching,
    MatchNotice notice, CurrentUserAccessor current, TimeProvider time) : ICommandHandler<SetAccused, Result<ReportRef>>
{
    public async ValueTask<Result<ReportRef>> Handle(SetAccused cmd, CancellationToken ct)
    {
        var report = await work.LoadAsync(db.Reports.Where(r => r.Id == cmd.ReportId), cmd.ReportId, ct);
        if (report is null) return new NotFound("Report");
        // An erased report names no one, and is not named again.
        if (report.ErasedAt is not null) return new StepNotAllowed("Erased", "SetAccused", []);
        if (cmd.AccusedInstitutionId is { } at && await institutions.FindAsync(at, ct) is null)
            return ValidationFailed.Single("accusedInstitutionId", "Choose an institution from the list.");

        var now = time.GetUtcNow();
        var input = new AccusedInput(cmd.AccusedName, cmd.AccusedInstitutionId, cmd.AccusedEmail, cmd.AccusedStaffNumber);
        var accused = await db.ReportAccused.FirstOrDefaultAsync(a => a.ReportId == report.Id, ct);
        if (accused is null) work.Add(accused = ReportAccused.For(report.Id, input, report.InstitutionId, now));
        else accused.Change(input, report.InstitutionId, now);
        var before = await db.AccusedIdentifiers.Where(i => i.ReportId == report.Id).ToListAsync(ct);
        db.AccusedIdentifiers.RemoveRange(before);
        var identifiers = matching.HashAll(accused, now);
        foreach (var identifier in identifiers) work.Add(identifier);
        // Only what this correction adds can make a new match worth a notice.
        await notice.QueueIfNewMatchAsync(report.Id, report.ReceiptHash,
            identifiers.Where(i => !before.Any(b => b.Kind == i.Kind && b.KeyVersion == i.KeyVersion && b.Hash.AsSpan().SequenceEqual(i.Hash))).ToList(), ct);
        work.Audit(report.Id, "change:AccusedNamed", current.Get());
        return await work.CommitAsync("The report", () => ReportRef.Of(report), ct);
    }
}
