using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using Mediator;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The meldpunt's published signing keys: every key that ever signed a proof of filing, the one in force first.</summary>
public sealed record ListReceiptKeys : IQuery<Result<IReadOnlyList<ReceiptKeyView>>>;

public sealed class ListReceiptKeysHandler(ReceiptSigner signer) : IQueryHandler<ListReceiptKeys, Result<IReadOnlyList<ReceiptKeyView>>>
{
    public async ValueTask<Result<IReadOnlyList<ReceiptKeyView>>> Handle(ListReceiptKeys q, CancellationToken ct) =>
        Result<IReadOnlyList<ReceiptKeyView>>.Success(await signer.KeysAsync(ct));
}
