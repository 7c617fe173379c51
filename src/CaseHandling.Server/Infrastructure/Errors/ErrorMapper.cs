using System.Text.Json;
using CaseHandling.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using ProblemHttpResult = Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Infrastructure.Errors;

/// <summary>The one place where expected failures become HTTP answers (RFC 9457 ProblemDetails).</summary>
public static class ErrorMapper
{
    public static IResult ToHttp(Error error) => error switch
    {
        ValidationFailed v => TypedResults.ValidationProblem(
            v.Fields.ToDictionary(kv => kv.Key, kv => kv.Value), title: "Invalid input", type: Type(error)),
        NotFound => Problem(StatusCodes.Status404NotFound, "Not found", error),
        Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", error),
        InvalidTransition t => TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Step not allowed in the current state",
            Detail = t.Message,
            Type = Type(error),
            Extensions =
            {
                ["currentState"] = WireName.Of(t.Current),
                ["attempted"] = WireName.Of(t.Attempted),
                ["allowed"] = t.Allowed.Select(a => WireName.Of(a)).ToArray(),
            },
        }),
        StepNotAllowed n => TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Step not allowed in the current state",
            Detail = n.Message,
            Type = Type(error),
            Extensions = { ["currentState"] = n.Current, ["attempted"] = n.Attempted, ["allowed"] = n.Allowed.ToArray() },
        }),
        ConcurrencyConflict => Problem(StatusCodes.Status409Conflict, "Concurrent change", error),
        SignInFailed { Reason: "two_factor_required" } => Problem(StatusCodes.Status401Unauthorized, "Two-factor code required", error),
        SignInFailed => Problem(StatusCodes.Status401Unauthorized, "Sign-in failed", error),
        _ => Problem(StatusCodes.Status400BadRequest, "Request failed", error),
    };

    public static IResult ToHttp<T>(Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsSuccess ? onSuccess(result.Value!) : ToHttp(result.Error!);

    private static ProblemHttpResult Problem(int status, string title, Error error) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = error.Message, Type = Type(error) });

    private static string Type(Error error) => $"urn:casehandling:error:{error.Code}";
}

/// <summary>
/// Malformed requests (unreadable JSON, a wrong enum value, a bad route value) become 400 ProblemDetails
/// naming the field, not 500. The message never echoes the submitted value.
/// </summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var field = exception.InnerException is JsonException { Path: { } path } ? path.TrimStart('$', '.') : "body";
        if (string.IsNullOrEmpty(field)) field = "body";
        var message = exception.InnerException is JsonException ? "The value could not be read (wrong type or format)." : "The request could not be read.";
        var result = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid input",
            type: "urn:casehandling:error:validation_failed");
        context.Response.StatusCode = bad.StatusCode;
        await result.ExecuteAsync(context);
        return true;
    }
}

/// <summary>
/// Text that PostgreSQL cannot store (a NUL character, which UTF-8 text columns refuse with SQLSTATE 22021) is the
/// caller's mistake, not the server's: 400, not 500. Nothing was written (the statement failed). The fields are checked
/// one by one where they are validated; this is the net under all of them, found by fuzzing (docs/RELIABILITY.md).
/// </summary>
public sealed class UnstorableTextHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is not Npgsql.PostgresException { SqlState: "22021" or "22P05" }) continue;
            var result = TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["A value contains a character that cannot be stored (such as NUL)."] },
                title: "Invalid input", type: "urn:casehandling:error:validation_failed");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await result.ExecuteAsync(context);
            return true;
        }
        return false;
    }
}
