using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseHandling.Server.Pages;

/// <summary>
/// A file added on /opvolgen (docs/EVIDENCE.md): a plain multipart form, no JavaScript. The upload is streamed into the
/// command as it arrives, never bound as a form (which would put the file in a temporary file on disk, unsealed); the
/// page then says what was removed from the copy the meldpunt sees.
/// </summary>
[EnableRateLimiting(ReporterRateLimits.Code)]
[StreamedUpload]
public sealed class OpvolgenBestandModel(IMediator mediator) : ReporterPage
{
    public string? ReceiptCode { get; private set; }
    public ReportStatusView? Report { get; private set; }
    public FileView? Added { get; private set; }

    public async Task OnPostAsync(CancellationToken ct)
    {
        var command = await ReportFiles.ReadAsync(Request, ct);
        ReceiptCode = command.ReceiptCode;
        var result = await mediator.Send(command, ct);
        if (result.IsSuccess)
        {
            Report = result.Value;
            Added = Report!.Files![^1];
            return;
        }
        ShowError(result.Error!);
        if (result.Error is ValidationFailed) Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    public IActionResult OnGet() => Redirect("/opvolgen" + LangQuery);
}

/// <summary>No form value binding on this page: the request body is read by the page itself, as a stream.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StreamedUploadAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        context.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
        context.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
        context.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
    }

    public void OnResourceExecuted(ResourceExecutedContext context) { }
}
