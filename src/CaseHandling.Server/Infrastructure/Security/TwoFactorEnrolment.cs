using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Configuration;
using CaseHandling.Server.Infrastructure.Hosting;
using CaseHandling.Server.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>A staff page a signed-in person may open before enrolling in two-factor (the enrolment page, signing out).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class AllowedBeforeEnrolmentAttribute : Attribute;

/// <summary>
/// Security:RequireTwoFactor on the pages: a signed-in staff member whose account has no TOTP yet is sent to the
/// enrolment page from every other staff page, until enrolled. Without this the role policies would only say "no
/// access" (they require a sign-in with the code), which does not tell the person what to do. Pages open to anyone
/// (sign-in, forgotten password) are left alone; the API has its own rule (the policies' "amr" claim).
/// </summary>
public sealed class TwoFactorEnrolmentFilter(IOptions<SecurityOptions> security, UserManager<StaffUser> users) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await MustEnrol(context)) context.Result = new RedirectResult(PortalPaths.Enrolment);
        else await next();
    }

    private async Task<bool> MustEnrol(PageHandlerExecutingContext context)
    {
        var user = context.HttpContext.User;
        if (!security.Value.RequireTwoFactor || user.Identity?.IsAuthenticated != true) return false;
        var metadata = context.HttpContext.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<StaffPageAttribute>() is null || metadata.GetMetadata<IAllowAnonymous>() is not null
            || metadata.GetMetadata<AllowedBeforeEnrolmentAttribute>() is not null) return false;
        // Signed in with the code: enrolled, and no lookup needed on every page.
        if (user.HasClaim("amr", "mfa")) return false;
        var account = await users.GetUserAsync(user);
        return account is not null && !account.TwoFactorEnabled;
    }
}
