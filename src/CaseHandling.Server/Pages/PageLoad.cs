using CaseHandling.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseHandling.Server.Pages;

/// <summary>
/// What a page shows when a query it needs fails: a clear failure, never an empty list or a zero (an empty work list
/// would read as "nothing due"). A page takes its data with <see cref="Required{T}"/>; the failure is caught by
/// <see cref="Handle"/>, which the page bases call, and the layout shows <see cref="ILoadState.LoadFailure"/> in place
/// of the page's body.
/// </summary>
public static class PageLoad
{
    /// <summary>The query's value, or the failure that stops the page.</summary>
    public static T Required<T>(Result<T> result) => result.IsSuccess ? result.Value! : throw new PageLoadFailedException(result.Error!);

    /// <summary>Turns a failed query into the page's failure state (with the status its error has in the API).</summary>
    public static void Handle(PageModel page, PageHandlerExecutedContext context, Action<Error> show)
    {
        if (context.ExceptionHandled || context.Exception is not PageLoadFailedException failed) return;
        context.ExceptionHandled = true;
        show(failed.Error);
        page.Response.StatusCode = failed.Error switch
        {
            ValidationFailed => StatusCodes.Status400BadRequest,
            Forbidden => StatusCodes.Status403Forbidden,
            NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status500InternalServerError,
        };
        context.Result = new PageResult();
    }
}

/// <summary>A page whose data could not be loaded; the layout shows the failure instead of the page's body.</summary>
public interface ILoadState
{
    Error? LoadFailure { get; }
}

/// <summary>A query a page needs failed. Carries the typed error only: its code, never content.</summary>
public sealed class PageLoadFailedException(Error error) : Exception($"A query the page needs failed ({error.Code}).")
{
    public Error Error { get; } = error;
}
