using Mediator;
using CaseHandling.Domain.Common;

namespace CaseHandling.Server.Infrastructure.OpenApi;

/// <summary>
/// How a route describes itself in the OpenAPI document (docs/API.md): one call per route,
/// <c>.Doc&lt;UseCase&gt;(summary, description)</c>. The use case names the operation (its operationId, stable as long as
/// the class keeps its name) and its answer (the T of its <c>Result&lt;T&gt;</c>); everything else (security, the
/// 400/401/403/404/409/429 ProblemDetails, ETag and If-Match) is added centrally by <see cref="OpenApiDocumentation"/>
/// from the endpoint's own metadata: its policy, route, body and rate limit.
/// </summary>
public static class ApiDocs
{
    /// <summary>The operation of use case <typeparamref name="TMessage"/>, answering <paramref name="status"/> with its result.</summary>
    public static RouteHandlerBuilder Doc<TMessage>(this RouteHandlerBuilder builder, string summary, string? description = null,
        int status = StatusCodes.Status200OK, string? operationId = null) =>
        builder.Doc(operationId ?? typeof(TMessage).Name, summary, description)
            .Produces(status, ResultType(typeof(TMessage)) ?? throw new InvalidOperationException($"{typeof(TMessage).Name} does not answer a Result<T>"));

    /// <summary>An operation that is not one Mediator message (sign-in, a CSV view of a query): name and answer given here.</summary>
    public static RouteHandlerBuilder Doc(this RouteHandlerBuilder builder, string operationId, string summary, string? description = null) =>
        builder.WithName(operationId).WithSummary(summary).WithDescription(description ?? summary)
            .WithMetadata(new DocumentedOperation(operationId));

    /// <summary>
    /// Out of order is a documented answer of this operation: 409 with <c>currentState</c> and <c>allowed</c> (a case's or a
    /// report's state no longer allows the step), or a concurrent change.
    /// </summary>
    public static RouteHandlerBuilder Conflicts(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ConflictMetadata());

    /// <summary>
    /// The request is a multipart form of one text field and then one file (an evidence upload), read by the endpoint as a
    /// stream: described as such in the document, without the framework's form binding (which would spool the file to disk).
    /// </summary>
    public static RouteHandlerBuilder Uploads(this RouteHandlerBuilder builder, string textField, string fileField) =>
        builder.WithMetadata(new MultipartUpload(textField, fileField));

    /// <summary>The answer carries the case's version as an ETag; a step takes it back as If-Match.</summary>
    public static RouteHandlerBuilder Versioned(this RouteHandlerBuilder builder) => builder.WithMetadata(new VersionedMetadata());

    /// <summary>The T of a message's <c>Result&lt;T&gt;</c>.</summary>
    public static Type? ResultType(Type message) => message.GetInterfaces()
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d && (d == typeof(ICommand<>) || d == typeof(IQuery<>)))
        .Select(i => i.GetGenericArguments()[0])
        .Where(r => r.IsGenericType && r.GetGenericTypeDefinition() == typeof(Result<>))
        .Select(r => r.GetGenericArguments()[0])
        .FirstOrDefault();
}

/// <summary>Marks an operation described through <see cref="ApiDocs"/> (a test checks that every API route has one).</summary>
public sealed record DocumentedOperation(string OperationId);

public sealed record ConflictMetadata;

public sealed record MultipartUpload(string TextField, string FileField);

public sealed record VersionedMetadata;

/// <summary>
/// A message field that the route fills (the case or report in the path, the If-Match version), not the body: the
/// OpenAPI document leaves it out of the body's schema, and the server ignores a value sent there.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class FromRouteOrHeaderAttribute : Attribute;
