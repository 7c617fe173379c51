using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Localization;
using CaseHandling.Server.Infrastructure.Mail;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using Hangfire;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Auth;

/// <summary>
/// "Forgotten password": if an account has this address, it gets a mail with a link to set a new password (Identity's
/// reset token, good for one use and a day). The answer is the same whether or not the address is known, so the page
/// tells nobody which addresses have accounts. The mail goes through the outbox, in the reader's language, and holds
/// the link and nothing else about the account.
/// </summary>
public sealed record RequestPasswordReset(string? Email) : ICommand<Result>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("email", Email, 256).Concat(Email is { } e && !e.Contains('@') ? [("email", "Not an e-mail address.")] : []);
}

public sealed class RequestPasswordResetHandler(
    UserManager<StaffUser> users, UnitOfWork work, Links links, Texts texts, TimeProvider time, IBackgroundJobClient jobs)
    : ICommandHandler<RequestPasswordReset, Result>
{
    public const string MailKind = "PasswordReset";

    public async ValueTask<Result> Handle(RequestPasswordReset cmd, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(cmd.Email!.Trim());
        // Unknown address: nothing to send, and the caller answers as if it had (no account enumeration).
        if (user?.Email is not { Length: > 0 } address) return Result.Success();

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var now = time.GetUtcNow();
        work.Add(new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            CreatedAt = now,
            NextAttemptAt = now,
            ToAddress = address,
            Subject = texts["account.mail.subject"],
            Body = texts.Format("account.mail.body", links.PasswordReset(user.Id, token, texts.Lang)),
            Kind = MailKind,
            Reference = "",
        });
        // Recorded on the account: a reset link was mailed (by whoever asked; the request carries no identity).
        work.Audit(Guid.Parse(user.Id), "account.password_reset_mailed", Shared.Actors.Anonymous, Shared.Actors.AnonymousRole);
        var saved = await work.CommitAsync("password reset", ct);
        if (!saved.IsSuccess) return saved;
        // The person is waiting for it: deliver now rather than at the next scheduled run.
        jobs.Enqueue<OutboxDeliveryJob>(j => j.Run(CancellationToken.None));
        return Result.Success();
    }
}
