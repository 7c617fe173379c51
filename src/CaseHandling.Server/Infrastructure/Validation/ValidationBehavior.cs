using System.Reflection;
using CaseHandling.Domain.Common;
using Mediator;

namespace CaseHandling.Server.Infrastructure.Validation;

/// <summary>A message that can check its own input. Field names are the JSON names (camelCase).</summary>
public interface IValidatable
{
    IEnumerable<(string Field, string Message)> Validate();
}

/// <summary>Collects validation messages per field.</summary>
public static class Check
{
    public static IEnumerable<(string, string)> Required(string field, object? value) =>
        value is null || value is string s && string.IsNullOrWhiteSpace(s) ? [(field, "Required.")] : [];

    public static IEnumerable<(string, string)> MaxLength(string field, string? value, int max) =>
        value is not null && value.Length > max ? [(field, $"At most {max} characters.")] : [];

    public static IEnumerable<(string, string)> RequiredText(string field, string? value, int max) =>
        Required(field, value).Concat(MaxLength(field, value, max));

    /// <summary>
    /// A required e-mail address that mail can be sent to: one address (no display name, no list), with a domain that
    /// has a dot. Not proof that the mailbox exists; it catches the typing errors that would send a notice nowhere.
    /// </summary>
    public static IEnumerable<(string, string)> Email(string field, string? value, int max = 320) =>
        RequiredText(field, value, max) is var basic && basic.Any() ? basic
        : System.Net.Mail.MailAddress.TryCreate(value!.Trim(), out var a) && a.Address == value.Trim() && a.Host.Contains('.')
          && !a.Host.StartsWith('.') && !a.Host.EndsWith('.') && !value.Trim().Any(char.IsWhiteSpace)
            ? [] : [(field, "Not an e-mail address.")];

}

/// <summary>
/// Runs <see cref="IValidatable.Validate"/> before every handler; invalid input never reaches one.
/// The failure is returned as the handler's own Result type, so the endpoint maps it like any error.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IValidatable validatable)
        {
            var errors = validatable.Validate()
                .GroupBy(e => e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
            if (errors.Count > 0)
                return ValueTask.FromResult(Failure<TResponse>.Create(new ValidationFailed(errors)));
        }
        return next(message, cancellationToken);
    }
}

/// <summary>Builds a failed <c>Result</c> or <c>Result&lt;T&gt;</c> for a response type known only as a type parameter.</summary>
internal static class Failure<TResponse>
{
    public static readonly Func<Error, TResponse> Create = Build();

    private static Func<Error, TResponse> Build()
    {
        var type = typeof(TResponse);
        if (type == typeof(Result)) return e => (TResponse)(object)(Result)e;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Result<>))
        {
            var method = type.GetMethod(nameof(Result<int>.Failure), BindingFlags.Public | BindingFlags.Static)!;
            return e => (TResponse)method.Invoke(null, [e])!;
        }
        return e => throw new InvalidOperationException($"{type.Name} cannot carry a validation failure ({e.Code}); return Result or Result<T>.");
    }
}
