using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.LocalHost.Discovery;

namespace Serverless.Functions.LocalHost.Tests;

public sealed class FunctionCatalogTests
{
    [Fact]
    public void Discover_TheApp_FindsEveryTriggerKindWithRoutesAndSchedules()
    {
        var functions = FunctionCatalog.Discover(typeof(AppServiceCollectionExtensions).Assembly.GetExportedTypes());

        var createZone = Assert.Single(functions, f => f.Name == FunctionNames.CreateZone);
        Assert.Equal(TriggerKind.Http, createZone.Trigger);
        Assert.Equal("v1/zones", createZone.Route);
        Assert.Equal(["POST"], createZone.HttpMethods);
        Assert.Equal("Function", createZone.AuthLevel);
        Assert.Equal(
            [AppSettingNames.ConnectivityScheduleExpression, AppSettingNames.HistoryPurgeScheduleExpression, AppSettingNames.InstancesReconcileScheduleExpression, AppSettingNames.MetricsPurgeScheduleExpression, AppSettingNames.PoolsScheduleExpression],
            functions.Where(f => f.Trigger == TriggerKind.Timer).Select(f => f.Schedule).Order(StringComparer.Ordinal));
        Assert.Contains(functions, f => f.Trigger == TriggerKind.Orchestration && f.Name == FunctionNames.RegistrationOrchestrator);
        Assert.Contains(functions, f => f.Trigger == TriggerKind.Activity && f.Name == FunctionNames.RecordRegistrationDecision);
    }

    [Fact]
    public void Discover_UnsupportedBinding_RefusesNamingFunctionAndParameter()
    {
        var error = Assert.Throws<UnsupportedFunctionException>(() => FunctionCatalog.Discover([typeof(BlobFunction)]));

        Assert.Contains("ReadBlob", error.Message, StringComparison.Ordinal);
        Assert.Contains("'blob'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_ParameterNotInRoute_RefusesAtStart()
    {
        var error = Assert.Throws<UnsupportedFunctionException>(() => FunctionCatalog.Discover([typeof(UnboundParameterFunction)]));

        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
    }

    public sealed class BlobFunction
    {
        [Function("ReadBlob")]
        public static void Run([TimerTrigger("0 * * * * *")] TimerInfo timer, [FakeInput] string blob)
        {
            ArgumentNullException.ThrowIfNull(timer);
            ArgumentNullException.ThrowIfNull(blob);
        }
    }

    public sealed class UnboundParameterFunction
    {
        [Function("Unbound")]
        public static string Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/things")] HttpRequest request, string id) =>
            request.Path + id;
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class FakeInputAttribute : Microsoft.Azure.Functions.Worker.Extensions.Abstractions.InputBindingAttribute;
}
