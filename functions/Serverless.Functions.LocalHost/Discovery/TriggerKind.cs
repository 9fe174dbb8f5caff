namespace Serverless.Functions.LocalHost.Discovery;

/// <summary>The trigger kinds the local host serves; functions.metadata calls them by the names in <see cref="FunctionCatalog"/>.</summary>
public enum TriggerKind
{
    Http,
    Timer,
    Orchestration,
    Activity,
}
