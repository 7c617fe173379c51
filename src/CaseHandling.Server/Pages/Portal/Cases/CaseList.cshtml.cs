using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Cases;

/// <summary>The cases the board (its institution's) or the inspector (the inspectorate's) may see, with filters; 50 a page.</summary>
[Authorize(Policy = Policies.CaseReader)]
public sealed class CaseListModel(IMediator mediator) : FormPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Nummer { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Regime { get; set; }
    [BindProperty(SupportsGet = true)] public bool TeLaat { get; set; }
    [BindProperty(SupportsGet = true)] public string? Na { get; set; }

    public IReadOnlyList<CaseListItem> Cases { get; private set; } = [];
    public string? Next { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // "123", "000123" and "ch-000123" all mean case CH-000123.
        if (Nummer?.Trim() is { Length: > 0 } typed && typed.TrimStart('C', 'H', 'c', 'h', '-') is { Length: > 0 and <= 9 } digits && digits.All(char.IsAsciiDigit))
            Nummer = "CH-" + digits.TrimStart('0').PadLeft(6, '0');
        // One more than a page tells whether there is a next page without counting the cases.
        var rows = Loaded(await mediator.Send(new ListCases(PageSize + 1, ParseEnum<CaseState>(Status), ParseEnum<Coverage>(Regime), TeLaat, Nummer,
            CaseCursor.Parse(Na)), ct));
        Cases = rows.Take(PageSize).ToList();
        Next = rows.Count > PageSize ? new CaseCursor(Cases[^1].OpenedAt, Cases[^1].Id).ToString() : null;
        // Looking up one number opens that case: its state does not linger in a list's URL.
        return !string.IsNullOrWhiteSpace(Nummer) && Cases.Count == 1 ? Redirect($"/portaal/zaken/{Cases[0].Id}") : Page();
    }

    /// <summary>This list with the same filters, from <paramref name="after"/> on.</summary>
    public string PageUrl(string? after)
    {
        var query = new Dictionary<string, string?>
        {
            ["nummer"] = string.IsNullOrWhiteSpace(Nummer) ? null : Nummer, ["status"] = Status, ["regime"] = Regime,
            ["telaat"] = TeLaat ? "true" : null, ["na"] = after,
        }.Where(q => !string.IsNullOrEmpty(q.Value));
        return "/portaal/zaken" + QueryString.Create(query);
    }
}
