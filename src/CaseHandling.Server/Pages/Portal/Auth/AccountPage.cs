using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// The account pages' shared form plumbing: the error summary's labels, the fields' aria-describedby, and Identity's
/// password rules said in the reader's language next to the field.
/// </summary>
public abstract class AccountPage : PortalPage
{
    /// <summary>The label of a field, for the error summary (the same text as the field's own label).</summary>
    public abstract string Label(string field);

    /// <summary>"?lang=en" for links to other pages in English, nothing in Dutch (the default).</summary>
    public string LangQuery => T.Lang == "en" ? "?lang=en" : "";

    /// <summary>Identity's password rules (HostSetup), for the hint and the messages.</summary>
    public PasswordOptions PasswordRules => HttpContext.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.Password;

    /// <summary>Identity's verdict on a new password, as one message for the field.</summary>
    protected string PasswordErrors(IEnumerable<IdentityError> errors) =>
        string.Join(" ", errors.Select(e => e.Code switch
        {
            nameof(IdentityErrorDescriber.PasswordTooShort) => T.Format("account.pw.short", PasswordRules.RequiredLength),
            nameof(IdentityErrorDescriber.PasswordRequiresDigit) => T["account.pw.digit"],
            nameof(IdentityErrorDescriber.PasswordRequiresLower) => T["account.pw.lower"],
            nameof(IdentityErrorDescriber.PasswordRequiresUpper) => T["account.pw.upper"],
            nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => T["account.pw.symbol"],
            nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => T["account.pw.unique"],
            _ => T["account.pw.other"],
        }).Distinct());

    /// <summary>Identity's error codes (as the account commands answer them), as one message for the field.</summary>
    protected string PasswordErrors(IEnumerable<string> codes) => PasswordErrors(codes.Select(c => new IdentityError { Code = c }));

    /// <summary>True when the new password is repeated the same; otherwise says so at the repeat field.</summary>
    protected bool Repeated(string? password, string? confirmation)
    {
        if (string.IsNullOrEmpty(password)) Errors["newPassword"] = T["err.required"];
        else if (password != confirmation) Errors["confirmPassword"] = T["account.change.mismatch"];
        return Errors.Count == 0;
    }
}
