namespace CaseHandling.Domain.Common;

/// <summary>An expected failure, as a value. Mapped to HTTP in one place (the server's ErrorMapper).</summary>
public abstract record Error(string Code, string Message);

/// <summary>Input that breaks a rule; <see cref="Fields"/> names each offending field (400).</summary>
public sealed record ValidationFailed(IReadOnlyDictionary<string, string[]> Fields)
    : Error("validation_failed", "One or more fields are invalid.")
{
    public static ValidationFailed Single(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The thing does not exist, or it is not the caller's to see (404: we do not say which).</summary>
public sealed record NotFound(string What) : Error("not_found", $"{What} not found.");

/// <summary>The caller may see the thing, but this step is not their role's (403).</summary>
public sealed record Forbidden(string Reason) : Error("forbidden", Reason);

/// <summary>A step out of order (409): names the current state and what is allowed now.</summary>
public sealed record InvalidTransition(Cases.CaseState Current, Workflow.CaseTrigger Attempted, IReadOnlyList<Workflow.CaseTrigger> Allowed)
    : Error("invalid_transition", $"'{WireName.Of(Attempted)}' is not allowed while the case is '{WireName.Of(Current)}'.");

/// <summary>A step that the subject's current status does not allow (409), for subjects without a transition table of their own.</summary>
public sealed record StepNotAllowed(string Current, string Attempted, IReadOnlyList<string> Allowed)
    : Error("step_not_allowed", $"'{Attempted}' is not allowed while the status is '{Current}'.");

/// <summary>Sign-in did not succeed (401): a wrong e-mail, password or code, a code still needed, or a locked-out account.</summary>
public sealed record SignInFailed(string Reason, string Why) : Error(Reason, Why)
{
    public static readonly SignInFailed Wrong = new("sign_in_failed", "Wrong e-mail, password or code.");
    public static readonly SignInFailed CodeRequired = new("two_factor_required", "A two-factor code is required.");
    public static readonly SignInFailed LockedOut = new("locked_out", "Too many attempts; try again later.");
    // Federated sign-in (docs/SIGN-IN.md): the provider said who the person is, and this is why that is not enough here.
    public static readonly SignInFailed NoAccount = new("no_account", "No account is linked to this identity, and none has its verified e-mail address.");
    public static readonly SignInFailed Disabled = new("account_disabled", "The account is disabled.");
    public static readonly SignInFailed SecondFactorMissing = new("second_factor_missing", "The identity provider did not report a second factor, which is required.");
    public static readonly SignInFailed LinkedToAnother = new("linked_to_another", "The account is linked to another identity at this provider.");
    public static readonly SignInFailed UnknownProvider = new("unknown_provider", "No such identity provider is configured.");
}

/// <summary>Someone else changed the same thing first (409).</summary>
public sealed record ConcurrencyConflict(string What)
    : Error("concurrency_conflict", $"{What} was changed by someone else; reload and try again.");

/// <summary>What the unit of work reads of any outcome: did it succeed (then its changes are committed), or not (then they are dropped).</summary>
public interface IOutcome
{
    bool IsSuccess { get; }
}

/// <summary>The outcome of an operation that can fail in an expected way.</summary>
public readonly record struct Result : IOutcome
{
    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    private Result(Error? error) => Error = error;
    public static Result Success() => new(null);
    public static implicit operator Result(Error error) => new(error);
}

/// <summary>A value or an expected failure.</summary>
public readonly record struct Result<T> : IOutcome
{
    public T? Value { get; }
    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    private Result(T? value, Error? error) { Value = value; Error = error; }
    public static Result<T> Success(T value) => new(value, null);
    public static Result<T> Failure(Error error) => new(default, error);
    public static implicit operator Result<T>(T value) => Success(value);
    public static implicit operator Result<T>(Error error) => Failure(error);
}
