using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseHandling.Server.Pages;

/// <summary>
/// Anyone checks a proof of filing (docs/RECEIPTS.md): pasted, or chosen as the file the reporter saved (a plain multipart
/// form, no JavaScript). The answer is valid or not, and for a valid proof what it attests; nothing else.
/// </summary>
[EnableRateLimiting(ReporterRateLimits.Code)]
[RequestSizeLimit(64 * 1024)]
public sealed class VerificatieModel(IMediator mediator) : ReporterPage
{
    [BindProperty] public string? Proof { get; set; }
    [BindProperty(Name = "file")] public IFormFile? ProofFile { get; set; }

    public ProofVerification? Verdict { get; private set; }

    public void OnGet() { }

    public async Task OnPostAsync(CancellationToken ct)
    {
        var text = Proof;
        if (ProofFile is { Length: > 0 } file)
        {
            if (file.Length > VerifyFilingProof.MaxLength) { Errors["file"] = T["verify.file.toolarge"]; return; }
            using var reader = new StreamReader(file.OpenReadStream(), System.Text.Encoding.UTF8);
            text = await reader.ReadToEndAsync(ct);
        }
        else if (!string.IsNullOrEmpty(text))
        {
            // A pasted proof comes back from a textarea with the browser's line ends (CR LF) and perhaps without the last one.
            text = text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";
        }
        var result = await mediator.Send(new VerifyFilingProof(text), ct);
        if (result.IsSuccess) Verdict = result.Value;
        else ShowError(result.Error!);
        if (Errors.ContainsKey("proof")) Errors["proof"] = T["verify.empty"];
    }
}
