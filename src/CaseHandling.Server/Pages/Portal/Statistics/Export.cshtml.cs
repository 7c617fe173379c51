using CaseHandling.Domain.Common;
using System.Text;
using CaseHandling.Server.Features.Statistics;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Statistics;

/// <summary>The figures of the page as CSV, with the rows' words in the reader's language; the same suppression as the page.</summary>
[Authorize(Policy = Policies.Figures)]
public sealed class ExportModel(IMediator mediator) : FiguresPage
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new GetMonitoringFigures(), ct);
        if (result.Error is Forbidden) return Forbid();
        var csv = FiguresCsv.Write(Loaded(result), RowLabel);
        // With a byte order mark, so that a spreadsheet opens the accents right.
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), FiguresCsv.ContentType, FiguresCsv.FileName);
    }
}
