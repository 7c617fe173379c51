using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CaseHandling.Server.Features.Cases;

/// <summary>The vertrouwensinspecteurs a board can name when it starts the overleg.</summary>
public sealed record ListInspectors : IQuery<Result<IReadOnlyList<InspectorView>>>;

public sealed record InspectorView(string Id, string Name);

public sealed class ListInspectorsHandler(UserManager<StaffUser> users) : IQueryHandler<ListInspectors, Result<IReadOnlyList<InspectorView>>>
{
    public async ValueTask<Result<IReadOnlyList<InspectorView>>> Handle(ListInspectors q, CancellationToken ct) =>
        (await users.GetUsersInRoleAsync(Roles.Vertrouwensinspecteur))
            .OrderBy(u => u.DisplayName).Select(u => new InspectorView(u.Id, u.DisplayName)).ToList();
}
