using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Validation;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>The administrator registers an institution (bevoegd gezag) and its sector.</summary>
public sealed record CreateInstitution(string? Name, Sector? Sector, string? ContactEmail) : ICommand<Result<InstitutionView>>, IValidatable
{
    public IEnumerable<(string Field, string Message)> Validate() =>
        Check.RequiredText("name", Name, 200)
            .Concat(Check.Required("sector", Sector))
            .Concat(Check.Email("contactEmail", ContactEmail));
}

public sealed record InstitutionView(Guid Id, string Name, Sector Sector, string ContactEmail);

public sealed class CreateInstitutionHandler(UnitOfWork work, CurrentUserAccessor current) : ICommandHandler<CreateInstitution, Result<InstitutionView>>
{
    public async ValueTask<Result<InstitutionView>> Handle(CreateInstitution cmd, CancellationToken ct)
    {
        var i = new Institution { Id = Guid.CreateVersion7(), Name = cmd.Name!.Trim(), Sector = cmd.Sector!.Value, ContactEmail = cmd.ContactEmail!.Trim() };
        work.Add(i);
        work.Audit(i.Id, "institution.created", current.Get());
        return await work.CommitAsync("The institution", () => new InstitutionView(i.Id, i.Name, i.Sector, i.ContactEmail), ct);
    }
}
