using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serverless.Functions.Telemetry;

namespace Serverless.Functions.Tests;

/// <summary>When the control plane registers an OpenTelemetry SDK, and which identity signs its Azure Monitor export.</summary>
public sealed class TelemetryConfigurationTests
{
    [Theory]
    [InlineData("ClientId=0b7e0c5e-1f6d-4a39-9c53-7d1a3c2f8e11;Authorization=AAD", "0b7e0c5e-1f6d-4a39-9c53-7d1a3c2f8e11")]
    [InlineData("Authorization=AAD; clientid = abc ", "abc")]
    [InlineData("Authorization=AAD", null)]
    [InlineData("ClientId=;Authorization=AAD", null)]
    [InlineData(null, null)]
    public void ManagedIdentityClientId_IsReadFromTheAuthenticationString(string? authentication, string? expected) =>
        Assert.Equal(expected, TelemetryServiceCollectionExtensions.ManagedIdentityClientId(authentication));

    [Fact]
    public void WithoutAnExporterSetting_NoTracerProviderIsRegistered()
    {
        using var services = Build(new Dictionary<string, string?>());
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Fact]
    public void WithAnOtlpEndpoint_ATracerProviderIsRegistered()
    {
        using var services = Build(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318" });
        Assert.NotNull(services.GetService<TracerProvider>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddControlPlaneTelemetry(configuration, functionsWorker: false);
        return services.BuildServiceProvider();
    }
}
