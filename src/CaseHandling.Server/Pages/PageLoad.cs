using CaseHandling.Domain.Common;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseHandling.Server.Pages;

/// <summary>
/// A page that shows a failed query as a failure, never as an empty list or a zero (an empty work list would read as
/// "nothing due"). The page takes its data with <see cref="Loaded{T}"/>; a failure stops the handler, answers with the
/// status its error has in the API, and the layout shows <see cref="LoadFailure"/> in place of the page's body. The
/// reporter's pages and the portal's both build on it.
/// </summary>
public abstract class LoadingPage : PageModel
{
    /// <summary>The query this page needed failed: the layout says so instead of showing the page.</summary>
    public Error? LoadFailure { get; private set; }

    /// <summary>A query's value, or the page's failure state.</summary>
    protected static T Loaded<T>(Result<T> result) => result.IsSuccess ? result.Value! : throw new PageLoadFailedException(result.Error!);

    public override void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
        if (!context.ExceptionHandled && context.Exception is PageLoadFailedException failed)
        {
            context.ExceptionHandled = true;
            LoadFailure = failed.Error;
            Response.StatusCode = failed.Error switch
            {
                ValidationFailed => StatusCodes.Status400BadRequest,
                Domain.Common.Forbidden => StatusCodes.Status403Forbidden,
                Domain.Common.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status500InternalServerError,
            };
            context.Result = Page();
        }
        base.OnPageHandlerExecuted(context);
    }
}

/// <summary>A query a page needs failed. Carries the typed error only: its code, never content.</summary>
public sealed class PageLoadFailedException(Error error) : Exception($"A query the page needs failed ({error.Code}).")
{
    public Error Error { get; } = error;
}
