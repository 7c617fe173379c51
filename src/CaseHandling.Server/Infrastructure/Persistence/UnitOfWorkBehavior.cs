using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using Mediator;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// Around every message: a <see cref="KeyScope"/> for the data keys it preloads. After a command: a failed outcome
/// drops whatever the handler changed, and a successful one must have committed through the <see cref="UnitOfWork"/>;
/// a command that leaves changes behind is a programming error and fails loudly, rather than losing a write.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(CaseHandlingDbContext db, UnitOfWork work) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        using var scope = KeyScope.Begin();
        var response = await next(message, cancellationToken);
        if (message is not IBaseCommand) return response;
        if (response is IOutcome { IsSuccess: false })
        {
            db.ChangeTracker.Clear();
            work.Discard();
        }
        else if (db.ChangeTracker.HasChanges() || work.HasPending)
            throw new InvalidOperationException($"{typeof(TMessage).Name} changed data without committing it through the unit of work.");
        return response;
    }
}
