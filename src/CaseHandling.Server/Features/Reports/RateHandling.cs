using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// How it went, in the reporter's words: three answers from 1 (not at all) to 5 (fully): was I taken seriously, was I kept
/// informed, would I report again; and an optional line. Asked once the meldpunt gave its feedback or closed the report, and
/// taken once. Anonymous like everything else here; the line is sealed as report content is. The answers count in the
/// monitoring figures, with the same small-cell suppression (docs/STATISTICS.md).
/// </summary>
public sealed record RateHandling(string? ReceiptCode, int? TakenSeriously, int? KeptInformed, int? WouldReportAgain, string? Comment = null)
    : ICommand<Result<ReportStatusView>>, IValidatable
{
    public const int MaxComment = 500;

    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("receiptCode", ReceiptCode, 64)
            .Concat(Score("takenSeriously", TakenSeriously)).Concat(Score("keptInformed", KeptInformed)).Concat(Score("wouldReportAgain", WouldReportAgain))
            .Concat(Check.MaxLength("comment", Comment, MaxComment));

    private static IEnumerable<(string, string)> Score(string field, int? value) =>
        value is >= 1 and <= 5 ? [] : [(field, "Choose 1 to 5.")];
}

public sealed class RateHandlingHandler(CaseHandlingDbContext db, UnitOfWork work, TimeProvider time) : ICommandHandler<RateHandling, Result<ReportStatusView>>
{
    public async ValueTask<Result<ReportStatusView>> Handle(RateHandling cmd, CancellationToken ct)
    {
        var found = await ReportByCode.ForChange(db, work, cmd.ReceiptCode, ct);
        if (!found.IsSuccess) return found.Error!;
        var comment = string.IsNullOrWhiteSpace(cmd.Comment) ? null : cmd.Comment.Trim();
        var rated = found.Value!.Rate(cmd.TakenSeriously!.Value, cmd.KeptInformed!.Value, cmd.WouldReportAgain!.Value, comment, time.GetUtcNow());
        if (!rated.IsSuccess) return rated.Error!;
        work.Audit(found.Value!.Id, "change:Rated", Actors.Reporter, Actors.ReporterRole);
        return await work.CommitAsync("The report", () => ReportStatusView.Of(found.Value!), ct);
    }
}
