using System.Globalization;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Errors;

/// <summary>
/// The database (or the key store) cannot be reached: a restart, a failover, a network cut. That is not the caller's
/// fault and not a bug, and it passes: the API answers 503 with Retry-After (ProblemDetails, no stack trace), a page
/// shows a calm "try again in a moment" page in the reader's language. A reporter must never see a 500 or be left
/// wondering whether what they wrote was lost: nothing was accepted, so the page says so (docs/RELIABILITY.md).
/// Nothing needs restarting: Npgsql drops broken connections and the next request opens new ones.
/// </summary>
public sealed class DatabaseUnavailableHandler(IStringLocalizer<Texts> texts, ILogger<DatabaseUnavailableHandler> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 15;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception) || context.Response.HasStarted) return false;
        // The kind only: the exception's message can carry a host name, never content, but the type is all an operator needs.
        log.LogWarning("Database unavailable ({Error}); answered 503", Innermost(exception).GetType().Name);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        if (PortalPaths.IsApi(context.Request.Path))
        {
            await TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable",
                Detail = $"The service cannot reach its database at the moment. Nothing was changed. Try again in {RetryAfterSeconds} seconds.",
                Type = "urn:casehandling:error:unavailable",
            }).ExecuteAsync(context);
            return true;
        }
        await WritePage(context);
        return true;
    }

    /// <summary>A connection that could not be opened or broke, a server shutting down or starting up, a pool that ran dry waiting.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException p when p.SqlState.StartsWith("57P", StringComparison.Ordinal) // admin shutdown, crash shutdown, cannot connect now
                                              || p.SqlState.StartsWith("08", StringComparison.Ordinal): // connection exception
                case NpgsqlException { IsTransient: true }:
                case NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException }:
                case System.Net.Sockets.SocketException:
                    return true;
            }
        }
        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>No layout (it may read the signed-in account, from the database that is away): a plain page with the site's style.</summary>
    private Task WritePage(HttpContext context) =>
        PlainPage.WriteAsync(context, texts, "unavailable.title", ["unavailable.body", "unavailable.hint"],
            (context.Request.PathBase + context.Request.Path + context.Request.QueryString, "unavailable.retry"));
}
