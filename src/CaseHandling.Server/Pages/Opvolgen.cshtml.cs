using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseHandling.Server.Pages;

/// <summary>
/// Follow-up with the receipt code: status, the dialogue, reply, consent. The code travels only in POST
/// bodies; there is no session and no cookie, so every form carries it again.
/// </summary>
[EnableRateLimiting(ReporterRateLimits.Code)]
public sealed class OpvolgenModel(IMediator mediator, Microsoft.Extensions.Options.IOptions<Infrastructure.Evidence.EvidenceOptions> evidence) : ReporterPage
{
    public long MaxFileMegabytes => evidence.Value.MaxFileBytes / (1024 * 1024);

    [BindProperty] public string? ReceiptCode { get; set; }
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public List<ForwardItems>? Items { get; set; }
    [BindProperty] public string? NoticeEmail { get; set; }
    [BindProperty] public int? TakenSeriously { get; set; }
    [BindProperty] public int? KeptInformed { get; set; }
    [BindProperty] public int? WouldReportAgain { get; set; }
    [BindProperty] public string? Comment { get; set; }
    [BindProperty] public string? Account { get; set; }
    [BindProperty] public int? Version { get; set; }
    [BindProperty] public int? Number { get; set; }

    public ReportStatusView? Report { get; private set; }

    /// <summary>A proof of filing to print (<see cref="OnPostProofAsync"/> with <c>print</c>).</summary>
    public FilingProofView? Proof { get; private set; }

    public void OnGet() { }

    public Task OnPostViewAsync(CancellationToken ct) => Show(mediator.Send(new GetReportStatus(ReceiptCode), ct));

    public async Task OnPostReplyAsync(CancellationToken ct)
    {
        if (await Show(mediator.Send(new ReplyToReport(ReceiptCode, Text), ct))) { Notice = T["reply.sent"]; Text = null; }
    }

    public async Task OnPostConsentAsync(CancellationToken ct) =>
        await Show(mediator.Send(new GiveConsent(ReceiptCode, Items ?? []), ct));

    public async Task OnPostNoticeAsync(CancellationToken ct)
    {
        if (await Show(mediator.Send(new SetReplyNotice(ReceiptCode, NoticeEmail), ct))) { Notice = T["notice.set"]; NoticeEmail = null; }
        else if (Errors.Remove("email", out var message)) Errors["noticeEmail"] = message;
    }

    public async Task OnPostRateAsync(CancellationToken ct)
    {
        if (await Show(mediator.Send(new RateHandling(ReceiptCode, TakenSeriously, KeptInformed, WouldReportAgain, Comment), ct)))
        {
            Notice = T["rating.thanks"];
            Comment = null;
        }
    }

    /// <summary>The reporter's correction of an oral report's account: a new version.</summary>
    public async Task OnPostAccountAsync(CancellationToken ct)
    {
        if (await Show(mediator.Send(new CorrectOralAccount(ReceiptCode, Account), ct))) { Notice = T["oral.corrected"]; Account = null; }
        else if (Errors.Remove("text", out var message)) Errors["account"] = message;
    }

    /// <summary>The reporter approves the version they read; a newer one written meanwhile is shown to read first.</summary>
    public async Task OnPostApproveAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new ApproveOralAccount(ReceiptCode, Version), ct);
        if (result.IsSuccess) { Report = result.Value; Notice = T["oral.approve.done"]; return; }
        await Show(new ValueTask<Result<ReportStatusView>>(result));
        if (result.Error is StepNotAllowed { Current: var state } && state.StartsWith("AccountVersion", StringComparison.Ordinal)) Notice = T["oral.changed"];
    }

    /// <summary>The reporter withdraws a file no one at the meldpunt has opened yet.</summary>
    public async Task OnPostFileWithdrawAsync(CancellationToken ct)
    {
        if (await Show(mediator.Send(new WithdrawReportFile(ReceiptCode, Number), ct))) Notice = T["files.withdrawn.done"];
    }

    public async Task OnPostNoticeRemoveAsync(CancellationToken ct)
    {
        if (await Show(mediator.Send(new RemoveReplyNotice(ReceiptCode), ct))) Notice = T["notice.removed"];
    }

    public async Task OnPostWithdrawAsync(CancellationToken ct)
    {
        if (await Show(mediator.Send(new WithdrawConsent(ReceiptCode), ct))) Notice = T["consent.withdrawn"];
    }

    /// <summary>
    /// The proof of filing (docs/RECEIPTS.md) of the report, one of the reporter's messages or the forwarding: as a file
    /// to keep, or (<paramref name="print"/>) as a page to print. The code travels in the form, as everywhere here.
    /// </summary>
    public async Task<IActionResult> OnPostProofAsync(FilingProofKind? kind, int? message, int? file, bool print, CancellationToken ct)
    {
        var result = await mediator.Send(new GetFilingProof(ReceiptCode, kind, message, file), ct);
        if (!result.IsSuccess)
        {
            await Show(mediator.Send(new GetReportStatus(ReceiptCode), ct));
            if (Report is not null) Notice = T["proof.unavailable"];
            return Page();
        }
        if (!print) return File(System.Text.Encoding.UTF8.GetBytes(result.Value!.Proof), "text/plain; charset=utf-8", result.Value.FileName);
        Proof = result.Value;
        return Page();
    }

    /// <summary>Shows the result; on a failure other than unknown code, still shows the report when the code is right.</summary>
    private async Task<bool> Show(ValueTask<Result<ReportStatusView>> pending)
    {
        var result = await pending;
        if (result.IsSuccess) { Report = result.Value; return true; }
        ShowError(result.Error!);
        if (result.Error is not CaseHandling.Domain.Common.NotFound)
        {
            var again = await mediator.Send(new GetReportStatus(ReceiptCode));
            Report = again.Value;
        }
        return false;
    }

    public string ItemsText(ForwardItems items) =>
        string.Join(", ", Enum.GetValues<ForwardItems>().Where(i => i != ForwardItems.None && items.HasFlag(i)).Select(i => T[$"consent.{i}"]));
}
