using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Http;
using CaseHandling.Server.Infrastructure.Localization;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseHandling.Server.Pages;

/// <summary>The report form, with what happens next told up front, and the receipt code shown once.</summary>
[EnableRateLimiting(ReporterRateLimits.Submit)]
public sealed class MeldenModel(IMediator mediator, FormOnce once) : ReporterPage
{
    [BindProperty] public ReporterKind? ReporterKind { get; set; }
    [BindProperty] public string? Anonymous { get; set; } = "yes";
    [BindProperty] public string? ContactName { get; set; }
    [BindProperty] public string? ContactEmail { get; set; }
    [BindProperty] public string? ContactPhone { get; set; }
    [BindProperty] public IncidentType? IncidentType { get; set; }
    [BindProperty] public string? WhatHappened { get; set; }
    [BindProperty] public string? WhenHappened { get; set; }
    [BindProperty] public Guid? InstitutionId { get; set; }
    [BindProperty] public string? Department { get; set; }
    [BindProperty] public AccusedRole? AccusedRole { get; set; }
    [BindProperty] public VictimWho? VictimWho { get; set; }
    [BindProperty] public VictimAgeAnswer? VictimAge { get; set; }
    [BindProperty] public Destination? Destination { get; set; }
    [BindProperty] public string? AccusedName { get; set; }
    [BindProperty] public Guid? AccusedInstitutionId { get; set; }
    [BindProperty] public string? AccusedEmail { get; set; }
    [BindProperty] public string? AccusedStaffNumber { get; set; }
    [BindProperty] public string? NoticeEmail { get; set; }
    /// <summary>One per showing of the form: the same token sent twice files one report (<see cref="FormOnce"/>).</summary>
    [BindProperty] public string? SubmissionToken { get; set; }

    public IReadOnlyList<PublicInstitution> Institutions { get; private set; } = [];
    public ReportReceipt? Receipt { get; private set; }
    /// <summary>The receipt shown again: this form had been sent before (a double click, a reload, the back button).</summary>
    public bool AlreadyReceived { get; private set; }

    /// <summary>
    /// The form's one-time token is in its address (<c>?formulier=</c>), so that going back to the form brings the same
    /// token, whatever the browser keeps of the page: the first visit is redirected to an address with a fresh one.
    /// </summary>
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "formulier")] string? token, CancellationToken ct)
    {
        if (IdempotencyKey.Parse(token, "melden") is null)
            return Redirect("/melden?formulier=" + IdempotencyKey.NewToken() + (T.Lang == Languages.Dutch ? "" : "&lang=" + T.Lang));
        SubmissionToken = token;
        await LoadInstitutions(ct);
        return Page();
    }

    public async Task OnPostAsync(CancellationToken ct)
    {
        var report = new SubmitReport(ReporterKind, Anonymous != "no", ContactName, ContactEmail, ContactPhone, IncidentType, WhatHappened,
            WhenHappened, InstitutionId, Department, AccusedRole, VictimWho, VictimAge, Destination, AccusedName, AccusedInstitutionId,
            AccusedEmail, AccusedStaffNumber, NoticeEmail, T.Lang);
        // A post without a token (a form from before tokens, a hand-made post) still files, once per post.
        var outcome = await once.RunAsync(SubmissionToken, "melden", JsonSerializer.SerializeToUtf8Bytes(report),
            () => mediator.Send(report, ct).AsTask(), ct);
        if (outcome.Result is { IsSuccess: true } done)
        {
            Receipt = done.Value;
            AlreadyReceived = outcome.Replayed;
            return;
        }
        if (outcome.Result is { } failed) ShowError(failed.Error!);
        else Notice = T[outcome.SentBefore ? "form.sent-before" : "form.in-progress"];
        // A form sent before gets a new token: what the reporter sends now is a new report.
        if (outcome.SentBefore) SubmissionToken = IdempotencyKey.NewToken();
        await LoadInstitutions(ct);
    }

    private async Task LoadInstitutions(CancellationToken ct)
    {
        var list = await mediator.Send(new ListPublicInstitutions(), ct);
        Institutions = Loaded(list);
    }
}
