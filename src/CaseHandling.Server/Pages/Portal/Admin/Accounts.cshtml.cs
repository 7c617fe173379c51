using System.Security.Claims;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseHandling.Server.Pages.Portal.Admin;

/// <summary>
/// Staff accounts: the list with each account's state, a new account with its role (and, for a board or a staff member,
/// its institution), and per account: disable or enable, unlock, reset two-factor, unlink a federated identity (by its
/// provider; the subject is never shown). Nothing here shows a case.
/// </summary>
public sealed class AccountsModel(IMediator mediator, Infrastructure.Security.FederatedOptions federated) : AdminPage
{
    public const string Path = "/portaal/beheer/accounts";
    public const string CreateForm = "create";

    public IReadOnlyList<UserView> Accounts { get; private set; } = [];
    public IReadOnlyList<InstitutionView> Institutions { get; private set; } = [];

    [BindProperty(Name = "email")] public string? Email { get; set; }
    [BindProperty(Name = "displayName")] public string? DisplayName { get; set; }
    [BindProperty(Name = "password")] public string? Password { get; set; }
    [BindProperty(Name = "role")] public string? RoleChoice { get; set; }
    [BindProperty(Name = "institutionId")] public string? InstitutionId { get; set; }

    /// <summary>The signed-in administrator's own account (which they cannot disable).</summary>
    public string? Me => User.FindFirstValue(ClaimTypes.NameIdentifier);

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadSaved();
        await Load(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        Guid? institution = Guid.TryParse(InstitutionId, out var g) ? g : null;
        var result = await mediator.Send(new CreateUser(Email, DisplayName, Password, Choice<StaffRole>(RoleChoice), institution), ct);
        // The password is never sent back into the form, also not after an error.
        Password = null;
        if (result.IsSuccess) return Done(Path, T.Format("admin.accounts.created", result.Value!.Email));
        ShowError(result.Error!, CreateForm);
        // Identity's own rules (password strength, an address in use) and the role's institution rule, in words.
        if (result.Error is ValidationFailed v)
            foreach (var (field, messages) in v.Fields) Errors[FieldId(CreateForm, field)] = Message(field, messages[0]);
        await Load(ct);
        return Page();
    }

    private string Message(string field, string message) => (field, message) switch
    {
        (_, "Required.") => T["err.required"],
        ("password", _) when !message.StartsWith("At most", StringComparison.Ordinal) => T["admin.err.password"],
        ("email", _) when message.Contains("taken", StringComparison.OrdinalIgnoreCase) => T["admin.err.emailTaken"],
        ("institutionId", "Required for this role.") => T["admin.err.institutionRequired"],
        ("institutionId", "This role is not bound to an institution.") => T["admin.err.institutionNotBound"],
        _ => T.Error(field, message),
    };

    public Task<IActionResult> OnPostDisableAsync(Guid id, CancellationToken ct) => Act(new SetAccountDisabled(id, true), "admin.accounts.disabled", ct);
    public Task<IActionResult> OnPostEnableAsync(Guid id, CancellationToken ct) => Act(new SetAccountDisabled(id, false), "admin.accounts.enabled", ct);
    public Task<IActionResult> OnPostUnlockAsync(Guid id, CancellationToken ct) => Act(new UnlockAccount(id), "admin.accounts.unlocked", ct);
    public Task<IActionResult> OnPostResetTwoFactorAsync(Guid id, CancellationToken ct) => Act(new ResetTwoFactor(id), "admin.accounts.twoFactorReset", ct);
    public Task<IActionResult> OnPostUnlinkAsync(Guid id, string? provider, CancellationToken ct) =>
        Act(new UnlinkFederatedIdentity(id, provider), "admin.accounts.unlinked", ct);

    /// <summary>A provider as the sign-in page names it (its configured display name); the configured name where it is no longer configured.</summary>
    public string ProviderName(string provider) =>
        federated.Providers.TryGetValue(provider, out var p) && !string.IsNullOrWhiteSpace(p.DisplayName) ? p.DisplayName : provider;

    private async Task<IActionResult> Act(ICommand<Result<UserView>> command, string confirmation, CancellationToken ct)
    {
        var result = await mediator.Send(command, ct);
        if (result.IsSuccess) return Done(Path, T.Format(confirmation, result.Value!.Email));
        if (result.Error is NotFound) return NotFound();
        // The one refusal an administrator meets here: their own account.
        StepProblem = result.Error is Forbidden { Reason: SetAccountDisabledHandler.OwnAccount } ? T["admin.accounts.notOwn"] : T["step.refused"];
        Response.StatusCode = StatusCodes.Status409Conflict;
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Accounts = Loaded(await mediator.Send(new ListUsers(), ct));
        Institutions = Loaded(await mediator.Send(new ListInstitutions(), ct));
    }
}
