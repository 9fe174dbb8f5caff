using DurableTask.Core;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>Registers a shim with the DTFx worker; the worker asks for a fresh instance per work item.</summary>
internal sealed class ShimObjectCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public ShimObjectCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        _create = create;
    }

    public override T Create() => _create();
}
