using System.Reflection;

namespace Serverless.Functions.LocalHost.Discovery;

/// <summary>One function found in the app assembly, with what its trigger attribute says.</summary>
public sealed record FunctionDescriptor(
    string Name,
    MethodInfo Method,
    TriggerKind Trigger,
    ParameterInfo TriggerParameter,
    string? Route,
    IReadOnlyList<string>? HttpMethods,
    string? AuthLevel,
    string? Schedule,
    bool RunOnStartup,
    bool UseMonitor)
{
    public string EntryPoint => $"{Method.DeclaringType!.FullName}.{Method.Name}";
}
