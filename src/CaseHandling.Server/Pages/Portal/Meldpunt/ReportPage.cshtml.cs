using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Pages.Portal.Cases;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Meldpunt;

/// <summary>The values the report page's forms post; each form uses some of them.</summary>
public sealed class ReportForm
{
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public string? VictimKind { get; set; }
    public string? VictimAge { get; set; }
    public string? Afhankelijkheidsrelatie { get; set; }
    public string? AccusedRole { get; set; }
    public string? JoinCaseNumber { get; set; }
    public string? Hold { get; set; }
    public Guid? FileId { get; set; }
    public string? Reason { get; set; }
}

/// <summary>
/// One report as the meldpunt handler works on it: what the reporter wrote, the anonymous dialogue with a form for the
/// acknowledgement, a message or the feedback, each service level with its due time, the reporter's consent, forwarding
/// to the board (with the facts the duty matrix reads, or joining a case the board already has), closing, and the legal
/// hold. Every view is the GetReport query, which records the read; every change is the API's command.
/// </summary>
[Authorize(Policy = Policies.MeldpuntHandler)]
public sealed class ReportPageModel(IMediator mediator) : FormPage
{
    [FromRoute] public Guid Id { get; set; }

    public const string SavedKey = "portal.report.saved";

    [BindProperty(Name = "f")] public ReportForm Input { get; set; } = new();

    public ReportDetail Report { get; private set; } = null!;

    /// <summary>Independent reports that name the same accused (docs/MATCHING.md); showing them is recorded in the audit trail.</summary>
    public IReadOnlyList<MatchView> Matches { get; private set; } = [];
    public bool Missing { get; private set; }
    public string? Saved { get; private set; }
    public string? SavedText => Saved is null ? null : T.Maybe("report.saved." + Saved);

    public bool Open => Report.Status is ReportStatus.Received or ReportStatus.InProgress;

    /// <summary>Forwarding is possible while the report is open and the reporter consented, or a staff member's own duty applies.</summary>
    public bool CanForward => Open && (Report.ConsentItems != ForwardItems.None || Report.StatutoryForwarding);

    /// <summary>What goes to the board when the report is forwarded (Forwarding: consent, or the description under the staff duty).</summary>
    public ForwardItems ToForward => Report.ConsentItems | (Report.StatutoryForwarding ? ForwardItems.Description : ForwardItems.None);

    public bool Acknowledged => Report.Duties.Any(d => d.Kind == Domain.Duties.DutyKind.MeldpuntAcknowledgement && d.MetAt is not null);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Saved = TempData[SavedKey] as string;
        return await Show(ct);
    }

    public Task<IActionResult> OnPostMessageAsync(CancellationToken ct) =>
        Run("Message", new SendHandlerMessage(Id, ParseEnum<HandlerMessageKind>(Input.Kind), Input.Text), ct);

    public Task<IActionResult> OnPostForwardAsync(CancellationToken ct) =>
        Run("Forward", new ForwardReport(Id, ParseEnum<VictimKind>(Input.VictimKind), ParseEnum<VictimAge>(Input.VictimAge),
            Input.Afhankelijkheidsrelatie switch { "true" => true, "false" => false, _ => null }, ParseEnum<AccusedRole>(Input.AccusedRole),
            string.IsNullOrWhiteSpace(Input.JoinCaseNumber) ? null : Input.JoinCaseNumber), ct);

    public Task<IActionResult> OnPostCloseAsync(CancellationToken ct) => Run("Close", new CloseReport(Id), ct);

    /// <summary>A new version of an oral report's account, until the reporter approves it.</summary>
    public Task<IActionResult> OnPostAccountAsync(CancellationToken ct) => Run("Account", new ReviseOralAccount(Id, Input.Text), ct);

    public Task<IActionResult> OnPostLegalHoldAsync(CancellationToken ct) =>
        Run("LegalHold", new SetReportLegalHold(Id, Input.Hold switch { "true" => true, "false" => false, _ => null }), ct);

    /// <summary>The signed proof that the report was forwarded, and when (docs/RECEIPTS.md), as a file.</summary>
    public async Task<IActionResult> OnGetForwardingProofAsync(CancellationToken ct)
    {
        var proof = await mediator.Send(new GetForwardingProof(Id), ct);
        if (!proof.IsSuccess) return NotFound();
        return File(System.Text.Encoding.UTF8.GetBytes(proof.Value!.Proof), "text/plain; charset=utf-8", proof.Value.FileName);
    }

    /// <summary>A file's cleaned copy (docs/EVIDENCE.md): recorded, sent as an attachment that no browser runs.</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid fileId, CancellationToken ct)
    {
        var file = await mediator.Send(new DownloadReportFile(Id, fileId, false, null), ct);
        return file.IsSuccess ? await Send(file.Value!, ct) : NotFound();
    }

    /// <summary>A file's original, only with a reason, which is recorded with the opening.</summary>
    public async Task<IActionResult> OnPostOriginalAsync(CancellationToken ct)
    {
        var file = await mediator.Send(new DownloadReportFile(Id, Input.FileId ?? Guid.Empty, true, Input.Reason), ct);
        if (file.IsSuccess) return await Send(file.Value!, ct);
        if (!ShowError(file.Error!, "Original")) return NotFound();
        var status = Response.StatusCode;
        var shown = await Show(ct);
        if (!Missing) Response.StatusCode = status;
        return shown;
    }

    private async Task<IActionResult> Send(FileDownload file, CancellationToken ct)
    {
        var content = new MemoryStream();
        await file.WriteTo(content, ct);
        content.Position = 0;
        Features.Reports.ReportFiles.SetFileHeaders(Response);
        return File(content, file.MediaType, file.FileName);
    }

    /// <summary>A post that names no form changes nothing.</summary>
    public IActionResult OnPost() => NotFound();

    private async Task<IActionResult> Run<TOut>(string form, ICommand<Result<TOut>> command, CancellationToken ct)
    {
        var result = await mediator.Send(command, ct);
        if (result.IsSuccess)
        {
            // Post, redirect, get; the confirmation travels in TempData, never in the URL.
            TempData[SavedKey] = form == "LegalHold" ? (Input.Hold == "true" ? "HoldPlaced" : "HoldLifted") : form == "Message" ? Input.Kind : form;
            return Redirect($"/portaal/meldingen/{Id}");
        }
        var error = result.Error!;
        if (!ShowError(error, form)) return await Show(ct);
        // The report's own refusals, in its words: a step its status no longer allows, forwarding without consent.
        if (error is StepNotAllowed s)
            StepProblem = T.Format("report.notnow", T.Maybe("enum.ReportStatus." + s.Current) ?? s.Current);
        else if (error is Forbidden && form == "Forward")
            StepProblem = T["report.forward.noconsent"];
        var status = Response.StatusCode;
        var shown = await Show(ct);
        if (!Missing) Response.StatusCode = status;
        return shown;
    }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var found = await mediator.Send(new GetReport(Id), ct);
        if (found.Error is NotFound)
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Report = Loaded(found);
        Matches = Loaded(await mediator.Send(new ListMatchesForReport(Id), ct));
        return Page();
    }

    public string? Keep(string form, string? value, string? otherwise = null) => FailedForm == form ? value : otherwise;

    /// <summary>The items of a consent or a forwarding, in words ("de beschrijving, de berichten").</summary>
    public string Items(ForwardItems items) =>
        items == ForwardItems.None ? T["report.items.none"]
        : string.Join(", ", Enum.GetValues<ForwardItems>().Where(i => i != ForwardItems.None && items.HasFlag(i)).Select(i => Word(i)));
}
