using Serverless.ControlPlane.Health;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Health;

/// <summary>Table storage answers when a one-row table query returns.</summary>
public sealed class TableStorageHealthProbe(TableProvider tables) : IHealthProbe
{
    public string Name => "tableStorage";

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in tables.Service.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            break;
        }
    }
}
