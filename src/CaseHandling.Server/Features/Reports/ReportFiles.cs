using CaseHandling.Server.Features.Shared;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CaseHandling.Server.Features.Reports;

/// <summary>
/// The HTTP side of report files (docs/EVIDENCE.md). An upload is read as it arrives, part by part, never buffered by the
/// framework (which would put it in a temporary file on disk, unsealed). A download is sent so that no browser runs it.
/// </summary>
public static class ReportFiles
{
    /// <summary>
    /// The command of a multipart upload: the <c>receiptCode</c> field, then the <c>file</c> part, whose content streams
    /// into the command. Anything else (not multipart, the file first, no file) leaves what is missing empty, which the
    /// command's validation names.
    /// </summary>
    public static async Task<AttachReportFile> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return new AttachReportFile(null, null);
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 4096 };
        string? code = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "file" && code is not null) return new AttachReportFile(code, section.Body);
                if (name == "receiptCode")
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[65];
                    var read = await text.ReadBlockAsync(buffer, ct);
                    code = new string(buffer, 0, read);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            // A broken or cut-off form: answered as what it lacks.
        }
        return new AttachReportFile(code, null);
    }

    /// <summary>
    /// A file as an attachment with its stored type only: not sniffed, not run (a sandbox without scripts, plugins or
    /// forms should a browser render it anyway), not cached.
    /// </summary>
    public static IResult Serve(HttpContext http, FileDownload file)
    {
        SetFileHeaders(http.Response);
        return Results.Stream(output => file.WriteTo(output, http.RequestAborted), file.MediaType, file.FileName);
    }

    /// <summary>The headers every served file carries, from the API and from the handler's page alike.</summary>
    public static void SetFileHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = Infrastructure.Security.SecurityHeaders.FilePolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
    }
}
