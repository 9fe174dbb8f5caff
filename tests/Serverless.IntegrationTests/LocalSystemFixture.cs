using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Azurite and one local Functions host shared by the tests of the <see cref="LocalSystemCollection"/>.</summary>
public sealed class LocalSystemFixture : IAsyncLifetime
{
    /// <summary>Short, so registrations whose agent never answers finish quickly.</summary>
    public const int VerificationTimeoutSeconds = 3;

    public AzuriteProcess Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        Host = await LocalHostProcess.StartAsync(Azurite, new Dictionary<string, string>
        {
            ["Registration__VerificationTimeoutSeconds"] = $"{VerificationTimeoutSeconds}",
            ["HistoryPurge__RetentionHours"] = "0",
        });
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}
