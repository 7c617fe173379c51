namespace CaseHandling.Server.Features.Shared;

/// <summary>A file to send: its stored type only, a name made here (the uploader's name for it is not kept), and its bytes.</summary>
public sealed record FileDownload(string MediaType, string FileName, Func<Stream, CancellationToken, Task> WriteTo);
