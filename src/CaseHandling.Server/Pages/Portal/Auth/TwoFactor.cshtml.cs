using System.Security.Claims;
using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using CaseHandling.Domain.Common;
using Mediator;
using QRCoder;

namespace CaseHandling.Server.Pages.Portal.Auth;

/// <summary>
/// TOTP enrolment: the key as a QR code (drawn here, as inline SVG: the page loads no script and no other site) and as
/// text, then a code from the app to prove it works. On success two-factor is on and the recovery codes are shown, this
/// once. With two-factor on, the page makes new recovery codes (after a code from the app). Open before enrolment, as
/// Security:RequireTwoFactor sends people here.
/// </summary>
[AllowedBeforeEnrolment]
public sealed class TwoFactorModel(UserManager<StaffUser> users, SignInManager<StaffUser> signIn, IOptions<SecurityOptions> security, IMediator mediator) : AccountPage
{
    public const int RecoveryCodeCount = 10;

    [BindProperty] public string? Code { get; set; }

    public bool Enabled { get; private set; }
    /// <summary>Security:RequireTwoFactor and not enrolled yet: the person was (or will be) sent here from other pages.</summary>
    public bool Required => security.Value.RequireTwoFactor && !Enabled;
    /// <summary>The key in groups of four, as people type it into an app.</summary>
    public string GroupedKey { get; private set; } = "";
    /// <summary>The QR code as SVG markup, made here from the key (no user input in it).</summary>
    public string QrSvg { get; private set; } = "";
    /// <summary>Shown once, right after they were made; never stored in the page's state.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public override string Label(string field) => T["account.enrol.code"];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        await Show(user);
        return Page();
    }

    /// <summary>Turns two-factor on with a code from the app.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        if (user.TwoFactorEnabled) return LocalRedirect(Url.Page(null)! + LangQuery);
        if (!CodeGiven()) return await Again(user);
        var enabled = await mediator.Send(new Features.Auth.EnableTwoFactor(Code, RecoveryCodeCount), HttpContext.RequestAborted);
        if (!Accepted(enabled)) return await Again(user);
        RecoveryCodes = enabled.Value;
        user = (await users.FindByIdAsync(user.Id))!;
        // The person has just shown a code from the app: this session now counts as signed in with two factors (the
        // "amr" claim the role policies ask for under Security:RequireTwoFactor), and keeps its start (SessionLimits).
        var current = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await signIn.SignInWithClaimsAsync(user, current.Properties ?? new AuthenticationProperties(), [new Claim("amr", "mfa")]);
        Enabled = true;
        return Page();
    }

    /// <summary>New recovery codes, the old ones void; a code from the app first, so a session left open is not enough.</summary>
    public async Task<IActionResult> OnPostNewCodesAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        if (!user.TwoFactorEnabled) return LocalRedirect(Url.Page(null)! + LangQuery);
        if (!CodeGiven()) return await Again(user);
        var renewed = await mediator.Send(new Features.Auth.RenewRecoveryCodes(Code, RecoveryCodeCount), HttpContext.RequestAborted);
        if (!Accepted(renewed)) return await Again(user);
        RecoveryCodes = renewed.Value;
        Enabled = true;
        return Page();
    }

    private bool CodeGiven()
    {
        Code = Code?.Trim();
        if (string.IsNullOrEmpty(Code)) Errors["code"] = T["err.required"];
        return Errors.Count == 0;
    }

    /// <summary>The command's verdict: a wrong code is said at the field; anything else is not the person's doing.</summary>
    private bool Accepted<TValue>(Result<TValue> result)
    {
        if (result.IsSuccess) return true;
        if (result.Error is ValidationFailed) Errors["code"] = T["account.enrol.code.wrong"];
        else throw new InvalidOperationException($"Two-factor enrolment failed: {result.Error!.Code}");
        return false;
    }

    private async Task<IActionResult> Again(StaffUser user)
    {
        Code = null; // a used or wrong code is no help in the field
        await Show(user);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task Show(StaffUser user)
    {
        Enabled = user.TwoFactorEnabled;
        if (Enabled) return;
        var hadKey = !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user));
        var made = await mediator.Send(new Features.Auth.EnsureAuthenticatorKey(), HttpContext.RequestAborted);
        var key = made.IsSuccess ? made.Value! : throw new InvalidOperationException($"No authenticator key: {made.Error!.Code}");
        // Making the key renews the account's security stamp, and sessions are checked against the stamp every minute (so that
        // disabling an account ends its sessions): this session is renewed with it, or looking at this page would sign one out.
        if (!hadKey) await signIn.RefreshSignInAsync(user);
        GroupedKey = string.Join(" ", key.Chunk(4).Select(c => new string(c)));
        QrSvg = Qr(Features.Auth.TwoFactor.AuthenticatorUri(user, key));
    }

    private static string Qr(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        // Sized by the stylesheet (viewBox): presentation attributes only, no style attribute, so the CSP allows it.
        var svg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg; // without an XML prolog, which has no place inside HTML
    }
}
