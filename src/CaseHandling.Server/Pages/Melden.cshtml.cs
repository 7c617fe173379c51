using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseHandling.Server.Pages;

/// <summary>The report form, with what happens next told up front, and the receipt code shown once.</summary>
[EnableRateLimiting(ReporterRateLimits.Submit)]
public sealed class MeldenModel(IMediator mediator) : ReporterPage
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

    public IReadOnlyList<PublicInstitution> Institutions { get; private set; } = [];
    public ReportReceipt? Receipt { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadInstitutions(ct);

    public async Task OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new SubmitReport(ReporterKind, Anonymous != "no", ContactName, ContactEmail, ContactPhone,
            IncidentType, WhatHappened, WhenHappened, InstitutionId, Department, AccusedRole, VictimWho, VictimAge, Destination,
            AccusedName, AccusedInstitutionId, AccusedEmail, AccusedStaffNumber), ct);
        if (result.IsSuccess)
        {
            Receipt = result.Value;
            return;
        }
        ShowError(result.Error!);
        await LoadInstitutions(ct);
    }

    private async Task LoadInstitutions(CancellationToken ct)
    {
        var list = await mediator.Send(new ListPublicInstitutions(), ct);
        Institutions = list.Value ?? [];
    }
}
