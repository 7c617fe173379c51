using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;
using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// The administrator changes an institution's contact address: where reminders and escalations for its board go.
/// The name and sector stay (a case's coverage was decided on the sector it had).
/// </summary>
public sealed record UpdateInstitutionContact([property: FromRouteOrHeader] Guid InstitutionId, string? ContactEmail) : ICommand<Result<InstitutionView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() => Check.Email("contactEmail", ContactEmail);
}

public sealed class UpdateInstitutionContactHandler(CaseHandlingDbContext db, UnitOfWork work, InstitutionDirectory directory, CurrentUserAccessor current)
    : ICommandHandler<UpdateInstitutionContact, Result<InstitutionView>>
{
    public async ValueTask<Result<InstitutionView>> Handle(UpdateInstitutionContact cmd, CancellationToken ct)
    {
        var i = await db.Institutions.FirstOrDefaultAsync(x => x.Id == cmd.InstitutionId, ct);
        if (i is null) return new NotFound("The institution");
        i.ContactEmail = cmd.ContactEmail!.Trim();
        work.Audit(i.Id, "institution.contact_changed", current.Get());
        var saved = await work.CommitAsync("The institution", () => new InstitutionView(i.Id, i.Name, i.Sector, i.ContactEmail), ct);
        // This instance sees the new address at once; others within the directory's minute.
        if (saved.IsSuccess) directory.Forget(i.Id);
        return saved;
    }
}
