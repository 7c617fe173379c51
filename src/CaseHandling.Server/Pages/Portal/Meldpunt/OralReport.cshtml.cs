using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Meldpunt;

/// <summary>
/// The handler writes down a report given by phone or in a meeting (EU directive 2019/1937 art. 9 lid 2, art. 18): the
/// same facts as the reporter's own form, how and when it came in, and whether it was recorded. The answer is the receipt
/// code, shown once, in groups and spelled out, to read to the reporter; with it they check, correct and approve the account.
/// </summary>
[Authorize(Policy = Policies.MeldpuntHandler)]
public sealed class OralReportModel(IMediator mediator) : FormPage
{
    public const string Form = "oral";

    public sealed class OralForm
    {
        public string? Channel { get; set; }
        public string? ReceivedAt { get; set; }
        public bool RecordingExists { get; set; }
        public string? Language { get; set; }
        public string? ReporterKind { get; set; }
        public string? Anonymous { get; set; }
        public string? ContactName { get; set; }
        public string? ContactEmail { get; set; }
        public string? ContactPhone { get; set; }
        public string? IncidentType { get; set; }
        public string? WhatHappened { get; set; }
        public string? WhenHappened { get; set; }
        public Guid? InstitutionId { get; set; }
        public string? Department { get; set; }
        public string? AccusedRole { get; set; }
        public string? VictimWho { get; set; }
        public string? VictimAge { get; set; }
        public string? Destination { get; set; }
    }

    [BindProperty(Name = "form")] public OralForm Input { get; set; } = new();

    public IReadOnlyList<PublicInstitution> Institutions { get; private set; } = [];
    public OralReportReceipt? Receipt { get; private set; }

    public string Id(string field) => FieldId(Form, field);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.ReceivedAt ??= NowLocalInput();
        Input.Language ??= ReporterLanguage.Dutch;
        await LoadInstitutions(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var report = new SubmitReport(ParseEnum<ReporterKind>(Input.ReporterKind), Input.Anonymous != "no", Input.ContactName, Input.ContactEmail,
            Input.ContactPhone, ParseEnum<IncidentType>(Input.IncidentType), Input.WhatHappened, Input.WhenHappened, Input.InstitutionId, Input.Department,
            ParseEnum<AccusedRole>(Input.AccusedRole), ParseEnum<VictimWho>(Input.VictimWho), ParseEnum<VictimAgeAnswer>(Input.VictimAge),
            ParseEnum<Destination>(Input.Destination), Language: ReporterLanguage.Parse(Input.Language));
        var result = await mediator.Send(new RecordOralReport(ParseEnum<ReportChannel>(Input.Channel), ParseLocal(Input.ReceivedAt), Input.RecordingExists, report), ct);
        if (result.IsSuccess)
        {
            // The code is shown here once, never in a redirect's URL or TempData: only its hash is kept.
            Receipt = result.Value;
            Response.Headers.CacheControl = "no-store";
            return Page();
        }
        if (!ShowError(result.Error!, Form)) return NotFound();
        await LoadInstitutions(ct);
        return Page();
    }

    private async Task LoadInstitutions(CancellationToken ct) =>
        Institutions = Loaded(await mediator.Send(new ListPublicInstitutions(), ct));

    /// <summary>
    /// The code spelled out to be read over the phone: each group, each character with its word in the spelling alphabet
    /// of the page's language (the Dutch one in Dutch, the NATO one in English). Crockford base32 has no I, L, O or U.
    /// </summary>
    public IReadOnlyList<string> Spelled(string code) =>
        code.Split('-').Select(group => string.Join(" · ", group.Select(c => char.IsDigit(c) ? c.ToString() : $"{c} ({Spelling(c)})"))).ToList();

    private string Spelling(char c)
    {
        string[] words = T.Lang == Infrastructure.Localization.Languages.English
            ? ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa",
               "Quebec", "Romeo", "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu"]
            : ["Anton", "Bernhard", "Cornelis", "Dirk", "Eduard", "Ferdinand", "Gerard", "Hendrik", "Izaak", "Johannes", "Karel", "Lodewijk", "Maria", "Nico",
               "Otto", "Pieter", "Quirinus", "Richard", "Simon", "Teunis", "Utrecht", "Victor", "Willem", "Xantippe", "Ypsilon", "Zacharias"];
        return words[c - 'A'];
    }
}
